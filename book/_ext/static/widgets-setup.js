// Runs between RequireJS and the widget manager (embed-amd.js) on pages with widgets.
(function () {
  // 1. The widget modules find their fonts next to the module RequireJS says they came from.
  //    By default that is under "<this page's folder>/@jupyter-widgets/", which does not
  //    exist; point them at _static/widgets/, where the build put those files. (The most
  //    specific prefix wins: "…/html-manager/dist/libembed-amd" and "…/controls" both end up
  //    in that one folder.)
  var root = document.documentElement.dataset.content_root || "./";
  var folder = new URL(root + "_static/widgets", document.location).href;
  require.config({
    paths: {
      "@jupyter-widgets/html-manager/dist": folder,
      "@jupyter-widgets": folder,
    },
  });

  // 2. Widgets typeset their labels with MathJax 2's `MathJax.Hub.Queue`; the book uses
  //    MathJax 3, which has no Hub. Give it one that calls MathJax 3, and hold the elements
  //    that ask before MathJax has loaded (it loads deferred) until it is ready.
  var config = window.MathJax;
  if (config === undefined) {
    return; // no math on this page: the widgets skip typesetting
  }
  var waiting = [];
  function queue(job) {
    var element = job && job[2];
    var mathjax = window.MathJax;
    if (mathjax && typeof mathjax.typesetPromise === "function") {
      mathjax.typesetPromise(element ? [element] : undefined).catch(function () {});
    } else if (element) {
      waiting.push(element);
    }
  }
  config.Hub = { Queue: queue };
  config.startup = config.startup || {};
  var ready = config.startup.ready;
  config.startup.ready = function () {
    if (ready) {
      ready();
    } else {
      window.MathJax.startup.defaultReady();
    }
    window.MathJax.Hub = { Queue: queue };
    if (waiting.length) {
      window.MathJax.typesetPromise(waiting.splice(0)).catch(function () {});
    }
  };
})();
