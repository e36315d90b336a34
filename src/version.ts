/** The spectrometer version, exported as `<prefix>_exporter_info{version}` (pinned to package.json by a test). */
export const VERSION = '0.1.0';
