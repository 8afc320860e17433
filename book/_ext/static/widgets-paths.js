// The widget manager finds its fonts next to the module that RequireJS says it was loaded
// from. By default that is "<this page's folder>/@jupyter-widgets/html-manager/dist/", which
// does not exist; point the module at _static/widgets/, where the build put those files.
(function () {
  var root = document.documentElement.dataset.content_root || "./";
  var folder = new URL(root + "_static/widgets", document.location).href;
  require.config({ paths: { "@jupyter-widgets/html-manager/dist": folder } });
})();
