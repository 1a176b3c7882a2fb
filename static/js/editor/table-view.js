// A table block in the document: its caption and source above the grid
// (../grid/grid.js), which edits the columns and rows. Every change becomes
// one step of the document (setNodeMarkup with the new table), so undo and
// redo cover table edits like any typing; update() redraws the grid when undo
// brings an older table back.
import { mountGrid } from "../grid/grid.js";
import { followColumns } from "../grid/chart-columns.js";
import { groupRuns } from "../grid/table-ops.js";

let tables = 0;

// The table's settings in the snapshot schema, as inputs: [key, input type].
const SETTINGS = [
  ["caption", "text"],
  ["source_note", "text"],
  ["source_url", "url"],
  ["source_retrieved", "date"],
  ["row_headers", "checkbox"],
  ["narrow_layout", "select"],
];
const DEFAULTS = { narrow_layout: "scroll" }; // what a table saved before it holds

export class TableView {
  constructor(node, view, getPos, config) {
    this.node = node;
    this.view = view;
    this.getPos = getPos;
    this.config = config;
    this.id = `nr-table-${++tables}`;
    const say = config.say;
    this.dom = document.createElement("div");
    this.dom.className = "nr-table-block";
    this.dom.setAttribute("role", "group");
    this.dom.setAttribute("aria-labelledby", `${this.id}-title`);
    const title = document.createElement("p");
    title.className = "nr-table-title";
    title.id = `${this.id}-title`;
    title.textContent = say("TABLE");
    const help = document.createElement("p");
    help.className = "nr-table-help";
    help.id = `${this.id}-help`;
    help.textContent = say("TABLE_HELP");
    this.dom.setAttribute("aria-describedby", help.id);
    this.notes = document.createElement("ul");
    this.notes.className = "nr-block-notes";
    this.settings = document.createElement("div");
    this.settings.className = "nr-table-settings";
    this.inputs = {};
    SETTINGS.forEach(([key, type]) => {
      const label = document.createElement("label");
      const input = document.createElement(type === "select" ? "select" : "input");
      if (type === "select") {
        (config.narrowLayouts || []).forEach(([value, text]) => input.add(new Option(text, value)));
      } else {
        input.type = type;
      }
      input.id = `${this.id}-${key}`;
      input.name = key; // not posted: the editor posts the whole body as JSON
      label.htmlFor = input.id;
      label.textContent = say("TABLE_" + key.toUpperCase());
      input.addEventListener("change", () => this.commitSetting(key, input));
      if (type !== "checkbox") input.addEventListener("input", () => this.commitSetting(key, input));
      this.inputs[key] = input;
      const field = document.createElement("div");
      field.className = `nr-table-setting nr-table-${key}`;
      field.append(type === "checkbox" ? input : label, type === "checkbox" ? label : input);
      this.settings.append(field);
    });
    this.chart = this.chartSettings(say);
    const gridElement = document.createElement("div");
    gridElement.className = "nr-table-grid";
    this.dom.append(title, help, this.notes, this.settings, this.chart, gridElement);
    this.fill(node);
    this.grid = mountGrid(gridElement, {
      table: node.attrs.data,
      schema: config.gridSchema,
      strings: config.gridStrings,
      problems: node.attrs.problems || [],
      importUrl: config.urls.tableImport,
      maxImportBytes: config.maxImportBytes,
      csrfToken: config.csrfToken,
      labelledBy: title.id,
      onChange: (table) => {
        const columns = table.columns.map((c) => this.column(c));
        this.commit({
          columns,
          groups: groupRuns(table.columns.map((c) => c.group)),
          rows: table.rows,
          // The chart keeps drawing the columns it drew, wherever they went.
          ...followColumns(this.node.attrs.data, columns),
        });
      },
    });
  }

  // The grid gives column settings as typed (text); the snapshot has only
  // its own keys, and decimals as a number (the server refuses anything else).
  column(settings) {
    const column = {};
    this.config.columnFields.forEach((key) => {
      column[key] = settings[key] === undefined ? "" : settings[key];
    });
    const decimals = String(column.decimals).trim();
    column.decimals = decimals === "" ? null : /^\d+$/.test(decimals) ? Number(decimals) : decimals;
    return column;
  }

  // The table's chart: its kind, the column naming the categories, the
  // numeric columns drawn, and whether the table is shown on request only.
  // Columns are offered as they are now and chosen by index, as the snapshot
  // keeps them; the server checks the choice (articles/charts/data.py).
  chartSettings(say) {
    const fieldset = document.createElement("fieldset");
    fieldset.className = "nr-table-chart";
    const legend = document.createElement("legend");
    legend.textContent = say("CHART");
    const field = (input, text, after) => {
      const wrapper = document.createElement("div");
      wrapper.className = after ? "nr-table-setting nr-table-check" : "nr-table-setting";
      const label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = text;
      wrapper.append(...(after ? [input, label] : [label, input]));
      return wrapper;
    };
    this.chartKind = document.createElement("select");
    this.chartKind.id = `${this.id}-chart`;
    this.config.chartKinds.forEach(([value, text]) => this.chartKind.add(new Option(text, value)));
    this.chartKind.addEventListener("change", () => this.commitChart());
    this.chartCategory = document.createElement("select");
    this.chartCategory.id = `${this.id}-chart_category`;
    this.chartCategory.addEventListener("change", () => this.commitChart());
    this.chartSeries = document.createElement("fieldset");
    this.chartSeries.className = "nr-chart-series";
    const seriesLegend = document.createElement("legend");
    seriesLegend.textContent = say("CHART_SERIES");
    this.chartSeriesList = document.createElement("div");
    this.chartSeries.append(seriesLegend, this.chartSeriesList);
    this.chartOnly = document.createElement("input");
    this.chartOnly.type = "checkbox";
    this.chartOnly.id = `${this.id}-chart_only`;
    this.chartOnly.addEventListener("change", () => this.commitChart());
    this.chartParts = document.createElement("div");
    this.chartParts.className = "nr-table-settings";
    this.chartParts.append(
      field(this.chartCategory, say("CHART_CATEGORY")),
      this.chartSeries,
      field(this.chartOnly, say("CHART_ONLY"), true),
    );
    this.sayColumn = (number) => say("CHART_COLUMN", { number });
    this.noNumbers = say("CHART_NO_NUMBERS");
    fieldset.append(legend, field(this.chartKind, say("CHART_KIND")), this.chartParts);
    return fieldset;
  }

  fillChart(data) {
    const columns = data.columns || [];
    const name = (column, index) => String(column.label || "").trim() || this.sayColumn(index + 1);
    this.chartKind.value = data.chart || "";
    this.chartParts.hidden = !data.chart;
    const category = data.chart_category ?? "";
    this.chartCategory.replaceChildren(new Option("—", ""));
    columns.forEach((column, index) => {
      if (this.config.chartCategoryKinds.includes(column.kind || "text"))
        this.chartCategory.add(new Option(name(column, index), String(index)));
    });
    this.chartCategory.value = String(category);
    const series = data.chart_series || [];
    const boxes = [];
    columns.forEach((column, index) => {
      if (!this.config.numericKinds.includes(column.kind)) return;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `${this.id}-chart_series-${index}`;
      box.value = String(index);
      box.checked = series.includes(index);
      box.addEventListener("change", () => this.commitChart());
      const label = document.createElement("label");
      label.htmlFor = box.id;
      label.textContent = name(column, index);
      const item = document.createElement("div");
      item.append(box, label);
      boxes.push(item);
    });
    if (!boxes.length) {
      const none = document.createElement("p");
      none.textContent = this.noNumbers;
      boxes.push(none);
    }
    this.chartSeriesList.replaceChildren(...boxes);
    this.chartOnly.checked = data.chart_only === true;
  }

  commitChart() {
    const category = this.chartCategory.value;
    const kind = this.chartKind.value;
    this.chartParts.hidden = !kind;
    this.commit({
      chart: kind,
      chart_category: category === "" ? null : Number(category),
      chart_series: Array.from(this.chartSeriesList.querySelectorAll("input:checked"), (box) =>
        Number(box.value),
      ),
      chart_only: this.chartOnly.checked,
    });
  }

  fill(node) {
    const data = node.attrs.data;
    const notes = node.attrs.notes || [];
    this.fillChart(data);
    SETTINGS.forEach(([key, type]) => {
      const input = this.inputs[key];
      const value = data[key];
      if (type === "checkbox") input.checked = value !== false;
      else if (document.activeElement !== input) input.value = value || DEFAULTS[key] || "";
    });
    this.notes.replaceChildren(
      ...notes.map((note) => {
        const item = document.createElement("li");
        item.textContent = note;
        return item;
      }),
    );
    this.notes.hidden = !notes.length;
  }

  commitSetting(key, input) {
    const value = input.type === "checkbox" ? input.checked : input.value;
    if (this.node.attrs.data[key] === value) return;
    this.commit({ [key]: value });
  }

  commit(changes) {
    const data = Object.assign({}, this.node.attrs.data, changes);
    this.pending = data;
    // The grid's columns may have changed: the chart offers them as they are.
    if ("columns" in changes) this.fillChart(data);
    const pos = this.getPos();
    if (pos === undefined) return;
    const attrs = Object.assign({}, this.node.attrs, { data });
    this.view.dispatch(this.view.state.tr.setNodeMarkup(pos, null, attrs));
  }

  update(node) {
    if (node.type !== this.node.type) return false;
    const data = node.attrs.data;
    this.node = node;
    if (data === this.pending) return true; // what the grid itself just did
    this.pending = null;
    this.fill(node);
    this.grid.update(data, node.attrs.problems || []);
    return true;
  }

  selectNode() {
    this.dom.classList.add("nr-selected");
  }

  deselectNode() {
    this.dom.classList.remove("nr-selected");
  }

  // The grid and the settings handle their own keys, clicks and pastes.
  stopEvent(event) {
    return this.dom.contains(event.target) && event.target !== this.dom;
  }

  ignoreMutation() {
    return true;
  }

  destroy() {
    this.grid.destroy();
  }
}
