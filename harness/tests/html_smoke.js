// html_smoke.js: runs index.html's script under node with a minimal DOM, renders the matrix,
// opens every cell's details panel and fails on any exception. No browser needed.
// usage: node html_smoke.js index.html
'use strict';
const fs = require('fs');
const html = fs.readFileSync(process.argv[2], 'utf8');
const data = html.split('<script type="application/json" id="report-data">')[1].split('</script>')[0];
const code = html.split('<script>\n')[1].split('</script>')[0];
if (/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/.test(code)) throw new Error('markup sink in script');
const cells = [];
function el(tag) {
  return { tag, children: [], style: {}, textContent: '', className: '', title: '', value: '',
    appendChild(c) { this.children.push(c); if (c.onclick !== undefined) cells.push(c); return c; },
    replaceChildren() { this.children = []; }, addEventListener() {} };
}
const byId = { 'report-data': Object.assign(el('script'), { textContent: data }) };
const document = {
  getElementById: (id) => byId[id] || (byId[id] = el(id)),
  querySelector: (q) => byId[q] || (byId[q] = el(q)),
  createElement: (t) => { const e = el(t); e.onclick = undefined; return e; },
};
new Function('document', code)(document);
let opened = 0;
for (const c of document.querySelector('#matrix tbody').children)
  for (const td of c.children) if (typeof td.onclick === 'function') { td.onclick(); opened++; }
const R = JSON.parse(data);
if (opened !== R.results.length) throw new Error(`opened ${opened} cells, want ${R.results.length}`);
const fams = new Set(R.cases.map((c) => c.family));
const frows = document.querySelector('#families tbody').children;
if (frows.length !== fams.size) throw new Error(`family table: ${frows.length} rows, want ${fams.size}`);
for (const tr of frows)
  if (tr.children.length !== R.implementations.length + 1) throw new Error('family row: one cell per implementation');
const lines = document.getElementById('impls').children;
if (lines.length !== R.implementations.length) throw new Error('one counts line per implementation');
for (const [k, i] of R.implementations.entries())
  if (!lines[k].textContent.startsWith(i.name + ': ')) throw new Error(`counts line ${k}: ${lines[k].textContent}`);
console.log(`html_smoke: ${opened} cells rendered and opened, ${frows.length} family rows, ` +
  `${lines.length} implementation lines`);
