// A small rich-text editor for paragraphs and list items: bold, italic and
// links, nothing else. It replaces a textarea marked data-inline-editor and
// keeps that textarea up to date, so the form posts as usual; the server
// sanitises whatever arrives. Without JavaScript the textarea is used as is.
// Its words come from the server, translated, on the textarea
// (data-inline-editor-strings, articles/admin/forms.py).
(function () {
  "use strict";

  // Each button's command and the key of its label; its title's ends in _HELP.
  var BUTTONS = [
    { command: "bold", key: "BOLD" },
    { command: "italic", key: "ITALIC" },
    { command: "createLink", key: "LINK" },
    { command: "unlink", key: "UNLINK" },
  ];

  var ALLOWED_TAGS = ["B", "STRONG", "I", "EM", "A"];
  var SAFE_URL = /^(https?:|mailto:)/i;

  // The textarea may hold what was just typed and refused by the server, so it
  // is never trusted: keep bold, italic and http(s)/mailto links, as text.
  function safeInlineHtml(html) {
    var source = new DOMParser().parseFromString(html, "text/html").body;
    var target = document.createElement("div");
    (function copy(from, to) {
      from.childNodes.forEach(function (node) {
        if (node.nodeType === 3) {
          to.appendChild(document.createTextNode(node.textContent));
        } else if (node.nodeType === 1 && ALLOWED_TAGS.indexOf(node.tagName) !== -1) {
          var element = document.createElement(node.tagName);
          var href = node.getAttribute("href");
          if (node.tagName === "A" && href && SAFE_URL.test(href.trim())) {
            element.setAttribute("href", href.trim());
          }
          copy(node, element);
          to.appendChild(element);
        } else if (node.nodeType === 1 && ["SCRIPT", "STYLE"].indexOf(node.tagName) === -1) {
          copy(node, to);
        }
      });
    })(source, target);
    return target.innerHTML;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // One line of the textarea per list item; newlines inside an item become spaces.
  function itemsFromEditor(list) {
    var items = [];
    list.childNodes.forEach(function (node) {
      var html = node.nodeType === 1 ? node.innerHTML : escapeHtml(node.textContent);
      html = html.replace(/<br\s*\/?>/gi, " ").replace(/\s+/g, " ").trim();
      if (html) items.push(html);
    });
    return items.join("\n");
  }

  function ensureOneItem(list) {
    if (!list.querySelector("li")) {
      var item = document.createElement("li");
      item.appendChild(document.createElement("br"));
      list.appendChild(item);
    }
  }

  function enhance(textarea) {
    if (textarea.dataset.enhanced || textarea.name.indexOf("__prefix__") !== -1) return;
    textarea.dataset.enhanced = "1";
    var strings = JSON.parse(textarea.dataset.inlineEditorStrings || "{}");
    function say(key, values) {
      return window.Newsroom.format(strings[key], values);
    }
    var isList = textarea.dataset.inlineEditor === "list";
    var wrapper = document.createElement("div");
    wrapper.className = "nr-inline-editor";
    var toolbar = document.createElement("div");
    toolbar.className = "nr-inline-toolbar";
    toolbar.setAttribute("role", "toolbar");
    var editor = document.createElement(isList ? "ul" : "div");
    editor.className = "nr-inline-area";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", isList ? "true" : "false");
    var label = textarea.id && document.querySelector("label[for='" + textarea.id + "']");
    if (label) {
      label.id = label.id || textarea.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
      toolbar.setAttribute("aria-label", say("TOOLBAR", { field: label.textContent }));
    }
    if (isList) {
      editor.innerHTML = textarea.value
        .split("\n")
        .filter(function (line) { return line.trim(); })
        .map(function (line) { return "<li>" + safeInlineHtml(line) + "</li>"; })
        .join("");
      ensureOneItem(editor);
    } else {
      editor.innerHTML = safeInlineHtml(textarea.value);
    }

    BUTTONS.forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = say(spec.key);
      button.title = say(spec.key + "_HELP");
      button.dataset.command = spec.command;
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", function () {
        editor.focus();
        if (spec.command === "createLink") {
          var url = window.prompt(say("LINK_ADDRESS"), "https://");
          if (!url || url === "https://") return;
          document.execCommand("createLink", false, url);
        } else {
          document.execCommand(spec.command, false, null);
        }
        sync();
      });
      toolbar.appendChild(button);
    });

    // contenteditable writes spaces next to formatting as &nbsp;: make them plain.
    function sync() {
      if (isList) {
        ensureOneItem(editor);
        textarea.value = itemsFromEditor(editor).replace(/&nbsp;/g, " ");
      } else {
        textarea.value = editor.innerHTML
          .replace(/<br\s*\/?>/gi, " ")
          .replace(/&nbsp;/g, " ")
          .trim();
      }
    }

    editor.addEventListener("input", sync);
    // A paragraph is one paragraph: Enter does nothing there.
    editor.addEventListener("keydown", function (event) {
      if (!isList && event.key === "Enter") event.preventDefault();
    });
    // Pasted text arrives without the formatting of the page it came from.
    editor.addEventListener("paste", function (event) {
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      if (isList) {
        // One item per pasted line.
        text.split(/\r?\n/)
          .filter(function (line) { return line.trim(); })
          .forEach(function (line, index) {
            if (index > 0) document.execCommand("insertParagraph", false, null);
            document.execCommand("insertText", false, line.trim());
          });
      } else {
        document.execCommand("insertText", false, text.replace(/\s+/g, " "));
      }
      sync();
    });

    textarea.hidden = true;
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(editor);
    wrapper.appendChild(textarea);
  }

  window.Newsroom.onContent(function (root) {
    root.querySelectorAll("textarea[data-inline-editor]").forEach(enhance);
  });
})();
