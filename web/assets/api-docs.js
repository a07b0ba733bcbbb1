// Renders /openapi.json as a page: no third-party script, nothing but text nodes (no innerHTML).
"use strict";

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function resolve(spec, schema) {
  let s = schema || {};
  for (let hops = 0; s.$ref && hops < 10; hops++) {
    s = s.$ref.split("/").slice(1).reduce((o, k) => (o || {})[k], spec) || {};
  }
  return s;
}

function describe(spec, schema) {
  const s = resolve(spec, schema);
  if (s.anyOf) return s.anyOf.map((x) => describe(spec, x)).join(" | ");
  const parts = [s.type === "array" ? `array of ${describe(spec, s.items)}` : s.type || s.title || "object"];
  if (s.format) parts.push(s.format);
  if (s.pattern) parts.push(`pattern ${s.pattern}`);
  if (s.enum) parts.push(`one of ${s.enum.join(", ")}`);
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) parts.push(`≤ ${s.maximum}`);
  if (s.maxLength !== undefined) parts.push(`≤ ${s.maxLength} chars`);
  return parts.join(", ");
}

function table(headings, rows) {
  const t = el("table");
  const head = el("tr");
  headings.forEach((h) => head.appendChild(el("th", h)));
  t.appendChild(head);
  rows.forEach((cells) => {
    const tr = el("tr");
    cells.forEach((c) => tr.appendChild(el("td", c)));
    t.appendChild(tr);
  });
  return t;
}

function bodyRows(spec, body) {
  const rows = [];
  Object.entries((body && body.content) || {}).forEach(([type, media]) => {
    const schema = resolve(spec, media.schema);
    const required = new Set(schema.required || []);
    Object.entries(schema.properties || {}).forEach(([name, prop]) => {
      const p = resolve(spec, prop);
      rows.push([name, type, required.has(name) ? "yes" : "", describe(spec, prop), p.description || ""]);
    });
  });
  return rows;
}

function operation(spec, path, method, op) {
  const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-");
  const section = el("section");
  section.id = id;
  const title = el("h2");
  title.appendChild(el("span", method.toUpperCase(), `method ${method}`));
  title.appendChild(document.createTextNode(path));
  section.appendChild(title);
  if (op.summary) section.appendChild(el("p", op.summary));
  if (op.description) section.appendChild(el("p", op.description));
  const params = (op.parameters || []).map((p) => [
    p.name, p.in, p.required ? "yes" : "", describe(spec, p.schema), p.description || "",
  ]);
  const rows = params.concat(bodyRows(spec, op.requestBody));
  if (rows.length) section.appendChild(table(["name", "in", "required", "type", "meaning"], rows));
  const answers = Object.entries(op.responses || {}).map(([code, r]) => [code, r.description || ""]);
  section.appendChild(table(["status", "answer"], answers));
  return [id, section];
}

async function render() {
  const main = document.getElementById("operations");
  const index = document.getElementById("index");
  try {
    const response = await fetch("/openapi.json", {credentials: "same-origin"});
    const spec = await response.json();
    main.textContent = "";
    Object.entries(spec.paths || {}).forEach(([path, methods]) => {
      Object.entries(methods).forEach(([method, op]) => {
        const [id, section] = operation(spec, path, method, op);
        main.appendChild(section);
        const link = el("a", `${method.toUpperCase()} ${path}`);
        link.href = `#${id}`;
        index.appendChild(link);
      });
    });
  } catch (error) {
    main.textContent = `The schema could not be read: ${error}`;
  }
}

document.addEventListener("DOMContentLoaded", render);
