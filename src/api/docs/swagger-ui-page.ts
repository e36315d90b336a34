/**
 * The Swagger UI page: stylesheet, bundle and initializer come from our own docs path, so the
 * page works offline and under a strict Content-Security-Policy (no inline script, no CDN).
 * @example
 * renderDocsPage({ title: 'Petstore', docsPath: '/v1/docs', specPath: '/v1/openapi.json' })
 */
export function renderDocsPage(page: {
  title: string;
  docsPath: string;
  specPath: string;
}): string {
  const docs = escapeHtml(page.docsPath);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}: API docs</title>
<link rel="stylesheet" href="${docs}/swagger-ui.css">
<link rel="icon" type="image/png" href="${docs}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui" data-spec-url="${escapeHtml(page.specPath)}"></div>
<script src="${docs}/swagger-ui-bundle.js"></script>
<script src="${docs}/swagger-initializer.js"></script>
</body>
</html>
`;
}

/**
 * Starts Swagger UI on the spec the page names. `validatorUrl: null`: the badge would otherwise
 * send the spec's URL to a public validator.
 */
export const SWAGGER_INITIALIZER = `window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec-url'),
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
