// Words shown to people come from the server, translated, in the strings the
// grid is given (articles/admin/grid.py, script_strings). format() fills in
// their %(name)s placeholders; plural() takes [form for 1, form for others],
// as ngettext gave them, and fills in %(count)s and the other values.

export function format(template, values) {
  return String(template).replace(/%\((\w+)\)s|%%/g, (whole, name) => {
    if (!name) return "%";
    return values && name in values ? String(values[name]) : whole;
  });
}

export function plural(forms, count, values) {
  return format(forms[count === 1 ? 0 : 1], { count, ...values });
}
