'use strict';
// The Express 4 pass (jest.express4.config.js) starts every child process with
// `node --require` of this file (CLI, examples, cluster workers, README snippets), so their
// `require('express')` gets Express 4 as the tests' own modules do through moduleNameMapper.
// Node documents require.cache as replaceable: the entry of the repository's Express 5 file is
// Express 4's module, so any `require('express')` that resolves to it gets Express 4.
const express5 = require.resolve('express');
const express4 = require.resolve('express4');
require(express4);
require.cache[express5] = require.cache[express4];
