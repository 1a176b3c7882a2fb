// Nothing typed is lost: a copy in this browser at once, a copy on the server
// (autosave) a moment after typing stops, both offered back when the page is
// opened again; a warning before leaving with unsaved changes; and the live
// preview, which shows the server's copy.
const LOCAL_DELAY = 300; // ms after the last change
const SERVER_DELAY = 2000;
const PREVIEW_DELAY = 700; // quicker while the preview is open
const FIELDS = ["title", "standfirst", "byline", "source_credit"];

export class Persistence {
  constructor(config, form, sections) {
    this.config = config;
    this.form = form;
    this.sections = sections;
    this.say = config.say;
    this.dirty = false;
    this.leaving = false;
    this.timers = {};
    this.statusLine = document.getElementById("nr-editor-status");
  }

  document() {
    const fields = {};
    FIELDS.forEach((name) => {
      const input = this.form.elements[name];
      if (input) fields[name] = input.value;
    });
    return Object.assign({ base_revision: this.config.baseRevision }, fields, { sections: this.sections() });
  }

  status(text, isError) {
    this.statusLine.textContent = text;
    this.statusLine.classList.toggle("nr-status-error", !!isError);
  }

  changed() {
    this.dirty = true;
    this.later("local", LOCAL_DELAY, () => this.saveLocally());
    if (this.config.urls.autosave) {
      this.later("server", this.previewOpen() ? PREVIEW_DELAY : SERVER_DELAY, () => this.saveOnServer());
    }
  }

  later(name, delay, action) {
    clearTimeout(this.timers[name]);
    this.timers[name] = setTimeout(action, delay);
  }

  saveLocally() {
    try {
      window.localStorage.setItem(
        this.config.storageKey,
        JSON.stringify({ saved_at: new Date().toISOString(), document: this.document() }),
      );
    } catch (error) {
      // Private browsing or a full store: the server's copy still works.
    }
  }

  async saveOnServer() {
    try {
      const response = await fetch(this.config.urls.autosave, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.config.csrfToken },
        body: JSON.stringify(this.document()),
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      this.status(this.say("AUTOSAVED", { time: new Date().toLocaleTimeString() }));
      this.refreshPreview();
    } catch (error) {
      this.status(this.say("AUTOSAVE_FAILED"), true);
    }
  }

  submitting() {
    this.leaving = true;
    this.saveLocally();
    try {
      const entry = JSON.parse(window.localStorage.getItem(this.config.storageKey));
      entry.submitted = true;
      window.localStorage.setItem(this.config.storageKey, JSON.stringify(entry));
    } catch (error) {
      // nothing kept locally
    }
  }

  start(editor) {
    this.editor = editor;
    this.form.addEventListener("input", (event) => {
      if (FIELDS.includes(event.target.name)) this.changed();
    });
    window.addEventListener("beforeunload", (event) => {
      if (this.dirty && !this.leaving) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    this.offerCopy();
    this.setUpPreview();
  }

  // A copy newer than what the page shows, from this browser or the server.
  offerCopy() {
    let local = null;
    try {
      local = JSON.parse(window.localStorage.getItem(this.config.storageKey));
    } catch (error) {
      local = null;
    }
    if (local && local.submitted) {
      // Sent with the form: the page shows it now (saved, or refused with it).
      window.localStorage.removeItem(this.config.storageKey);
      local = null;
    }
    const server = this.config.workingCopy;
    const candidates = [local, server].filter(Boolean);
    candidates.sort((a, b) => (a.saved_at < b.saved_at ? 1 : -1));
    const copy = candidates[0];
    const current = JSON.stringify(this.document());
    if (!copy || JSON.stringify(copy.document) === current) return;
    const banner = document.getElementById("nr-editor-restore");
    const text = document.createElement("p");
    text.textContent = this.say("RESTORE_OFFER", { when: new Date(copy.saved_at).toLocaleString() });
    const restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = this.say("RESTORE");
    const discard = document.createElement("button");
    discard.type = "button";
    discard.textContent = this.say("DISCARD");
    restore.addEventListener("click", () => {
      this.load(copy.document);
      banner.hidden = true;
      this.changed();
    });
    discard.addEventListener("click", () => {
      if (!window.confirm(this.say("DISCARD_CONFIRM"))) return;
      window.localStorage.removeItem(this.config.storageKey);
      if (this.config.urls.discard) {
        fetch(this.config.urls.discard, {
          method: "POST",
          headers: { "X-CSRFToken": this.config.csrfToken },
          credentials: "same-origin",
        });
      }
      banner.hidden = true;
    });
    banner.replaceChildren(text, restore, discard);
    banner.hidden = false;
  }

  load(document) {
    FIELDS.forEach((name) => {
      const input = this.form.elements[name];
      if (input && typeof document[name] === "string") input.value = document[name];
    });
    this.editor.load(document);
  }

  previewOpen() {
    const panel = document.getElementById("nr-preview");
    return panel && !panel.hidden;
  }

  setUpPreview() {
    const toggle = document.getElementById("nr-preview-toggle");
    const panel = document.getElementById("nr-preview");
    if (!toggle || !panel) return;
    toggle.hidden = false;
    if (!this.config.urls.preview) {
      toggle.disabled = true;
      toggle.title = this.say("PREVIEW_AFTER_SAVE");
      return;
    }
    const frame = panel.querySelector("iframe");
    toggle.addEventListener("click", () => {
      panel.hidden = !panel.hidden;
      toggle.setAttribute("aria-expanded", String(!panel.hidden));
      if (!panel.hidden) {
        if (this.dirty) this.saveOnServer();
        else this.refreshPreview();
      }
    });
    panel.querySelectorAll("[data-width]").forEach((button) =>
      button.addEventListener("click", () => {
        panel.dataset.width = button.dataset.width;
        panel.querySelectorAll("[data-width]").forEach((other) =>
          other.setAttribute("aria-pressed", String(other === button)),
        );
      }),
    );
    this.frame = frame;
  }

  refreshPreview() {
    if (!this.frame || !this.previewOpen()) return;
    this.frame.src = `${this.config.urls.preview}?at=${Date.now()}`;
  }
}
