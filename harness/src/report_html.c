/*
 * report_html.c: index.html, one self-contained file (no network): each implementation's counts,
 * the warnings, the implementation x family table (a bar per cell), a case x implementation matrix
 * coloured by verdict, filters, and a details panel per cell. The report is embedded as JSON in a
 * <script type="application/json"> block with '<', '>' and '&' written as \u003c, \u003e, \u0026
 * (and non-ASCII as \uXXXX), so nothing in it can close the block; the page renders it with
 * textContent only, never innerHTML, so nothing an implementation sent runs or renders as markup.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
    "<title>stirmls conformance report</title>\n<style>\n"
    "body{font:14px system-ui,sans-serif;margin:1em;color:#222}\n"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}\n"
    "th{background:#eee;position:sticky;top:0}td.c{cursor:pointer;text-align:center;font-size:12px}\n"
    ".PASS{background:#9e9}.PASS_OTHER_REASON{background:#cf9}.FAIL{background:#f88}"
    ".XFAIL{background:#fd8}.XPASS{background:#f6c}.UNSUPPORTED{background:#ddd}.SKIP{background:#eee}"
    ".TIMEOUT{background:#f96}.CRASH{background:#c33;color:#fff}.PROTOCOL_ERROR{background:#a6f;color:#fff}\n"
    "#details{position:fixed;right:0;top:0;bottom:0;width:42%;overflow:auto;background:#fafafa;"
    "border-left:2px solid #888;padding:1em;display:none}\n"
    "pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #ddd;padding:4px}\n"
    "#filters *{margin-right:.6em}.warn{color:#a40;font-weight:bold}\n"
    "table.cert th{text-align:left;vertical-align:top;font-weight:normal;background:#f4f4f4}"
    "table.cert pre{margin:0;border:0}tr.about th,tr.about td{background:#ffe680;font-weight:bold}\n"
    ".bar{display:inline-flex;width:80px;height:10px;border:1px solid #888;margin-right:4px;vertical-align:middle}"
    ".bar span{height:100%}.bp{background:#3a3}.bf{background:#d33}.bu{background:#bbb}"
    ".legend span{padding:0 4px;margin-right:4px}#families td{white-space:nowrap}\n</style></head><body>\n"
    "<h1>stirmls conformance report</h1>\n<p id=\"summary\"></p>\n<ul id=\"impls\"></ul>\n"
    "<ul id=\"warnings\"></ul>\n<h2>By family</h2>\n<p class=\"legend\"><span class=\"bp\">passed</span> "
    "<span class=\"bf\">failed</span> <span class=\"bu\">unsupported or skipped</span></p>\n"
    "<table id=\"families\"><thead></thead><tbody></tbody></table>\n<h2>Cases</h2>\n"
    "<div id=\"filters\"><input id=\"q\" placeholder=\"case filter\"> "
    "<label><input type=\"checkbox\" id=\"unexp\"> unexpected only</label> "
    "<select id=\"verdict\"><option value=\"\">any verdict</option></select></div>\n"
    "<table id=\"matrix\"><thead></thead><tbody></tbody></table>\n"
    "<div id=\"details\"></div>\n"
    "<script type=\"application/json\" id=\"report-data\">";

static const char tail[] =
    "</script>\n<script>\n"
    "'use strict';\n"
    "const R=JSON.parse(document.getElementById('report-data').textContent);\n"
    "function el(t,txt,cls){const e=document.createElement(t);if(txt!==undefined&&txt!==null)"
    "e.textContent=String(txt);if(cls)e.className=cls;return e;}\n"
    "const byKey=new Map();for(const r of R.results)byKey.set(r.case+'\\u0000'+r.implementation,r);\n"
    "const impls=R.implementations.map(i=>i.name);\n"
    "document.getElementById('summary').textContent=(R.ok?'OK':'NOT OK')+': '+R.results.length+"
    "' results, '+R.unexpected+' unexpected. Suite '+R.suite.hash+'. '+R.openssl+'. Tool '+R.tool.version+'.';\n"
    /* each implementation's own counts: never a total over implementations */
    "const ORDER=['PASS','PASS_OTHER_REASON','FAIL','XFAIL','XPASS','UNSUPPORTED','SKIP','TIMEOUT','CRASH','PROTOCOL_ERROR'];\n"
    "for(const i of R.implementations){const rs=R.results.filter(r=>r.implementation===i.name);"
    "const none=rs.length>0&&i.judged===0&&!R.options.allow_unsupported_only;"
    "document.getElementById('impls').appendChild(el('li',i.name+': '+rs.length+' results, '+"
    "(rs.filter(r=>r.unexpected).length+(none?1:0))+' unexpected, '+i.judged+' judged: '+ORDER"
    ".filter(v=>i.counts[v]).map(v=>v+' '+i.counts[v]).join(' ')));}\n"
    /* implementation x family: a bar (passed, failed, unsupported) and the counts per cell */
    "const fams=[];for(const c of R.cases)if(!fams.includes(c.family))fams.push(c.family);\n"
    "const fh=el('tr');fh.appendChild(el('th','family'));for(const i of R.implementations)fh.appendChild(el('th',i.name));"
    "document.querySelector('#families thead').appendChild(fh);\n"
    "for(const f of fams){const tr=el('tr');tr.appendChild(el('td',f));for(const i of R.implementations){"
    "const x=(i.families||{})[f],td=el('td');if(x){const t=x.passed+x.failed+x.unsupported,b=el('span',null,'bar');"
    "for(const [k,cl] of [['passed','bp'],['failed','bf'],['unsupported','bu']]){const s=el('span',null,cl);"
    "s.style.width=(t?100*x[k]/t:0)+'%';b.appendChild(s);}td.appendChild(b);td.appendChild(el('span',x.passed+'/'+"
    "x.judged+' passed'+(x.failed?', '+x.failed+' failed':'')+(x.unsupported?', '+x.unsupported+' unsupported':'')));"
    "td.title=f+' / '+i.name;}else td.textContent='-';tr.appendChild(td);}"
    "document.querySelector('#families tbody').appendChild(tr);}\n"
    "for(const i of R.implementations)for(const w of (i.warnings||[]))"
    "document.getElementById('warnings').appendChild(el('li',w,'warn'));\n"
    "const vsel=document.getElementById('verdict');for(const v of Object.keys(R.totals)){"
    "const o=el('option',v+' ('+R.implementations.map(i=>i.name+' '+i.counts[v]).join(', ')+')');o.value=v;vsel.appendChild(o);}\n"
    "const thr=el('tr');thr.appendChild(el('th','case'));for(const i of R.implementations){"
    "const th=el('th',i.name);th.title=(i.hello&&typeof i.hello.name==='string'?i.hello.name+' '+"
    "(i.hello.version||''):'no hello');thr.appendChild(th);}\n"
    "document.querySelector('#matrix thead').appendChild(thr);\n"
    "function kv(d,k,v){d.appendChild(el('h4',k));d.appendChild(el('pre',typeof v==='string'?v:"
    "JSON.stringify(v,null,1)));}\n"
    "function show(c,r){const d=document.getElementById('details');d.replaceChildren();d.style.display='block';"
    "const x=el('button','close');x.onclick=()=>{d.style.display='none';};d.appendChild(x);"
    "d.appendChild(el('h3',c.id+' / '+r.implementation));d.appendChild(el('p',r.verdict,r.verdict));"
    "kv(d,'why',c.why||'');kv(d,'spec',(c.spec||[]).join(', '));kv(d,'tags',(c.tags||[]).join(', '));"
    "kv(d,'expected',r.expected);kv(d,'observed',(r.observed||'-')+' '+(r.reason||''));"
    "kv(d,'native',r.native||'');if(r.note)kv(d,'note',r.note);if(r.identities)kv(d,'identities',r.identities);"
    "if(r.error)kv(d,'error',r.error);"
    "if(c.artifacts)for(const k of Object.keys(c.artifacts))kv(d,k,c.artifacts[k]);"
    /* each certificate decoded, the field the case is about marked */
    "for(const x of (c.certificates||[])){d.appendChild(el('h4','certificate: '+x.role));const t=el('table',null,'cert');"
    "for(const k of ['error','subject','issuer','not_before','not_after','basic_constraints','key_usage','tnauthlist',"
    "'jwt_claim_constraints']){if(x[k]===undefined)continue;const tr=el('tr',null,x.about===k?'about':'');"
    "tr.appendChild(el('th',k+(x.about===k?' \u25c0 this case':'')));tr.appendChild(el('td',null)).appendChild(el('pre',x[k]));"
    "t.appendChild(tr);}for(const o of (x.other_extensions||[])){const tr=el('tr');tr.appendChild(el('th',o.name));"
    "tr.appendChild(el('td',null)).appendChild(el('pre',o.value));t.appendChild(tr);}d.appendChild(t);}"
    "kv(d,'transcript',(r.transcript||[]).map(t=>t.dir+' '+t.line).join('\\n'));"
    "const m=(R.matrix||[]).filter(x=>x.case===c.id&&x.producer===r.implementation);"
    "if(m.length)kv(d,'artefact verified by',m.map(x=>x.verifier+': '+x.verdict+' '+(x.observed||'-')+' '"
    "+(x.reason||'')+' '+(x.note||'')).join('\\n'));}\n"
    "function render(){const q=document.getElementById('q').value,u=document.getElementById('unexp').checked,"
    "vf=vsel.value;const tb=document.querySelector('#matrix tbody');tb.replaceChildren();"
    "for(const c of R.cases){if(q&&!c.id.includes(q))continue;const rs=impls.map(n=>byKey.get(c.id+'\\u0000'+n));"
    "if(u&&!rs.some(r=>r&&r.unexpected))continue;if(vf&&!rs.some(r=>r&&r.verdict===vf))continue;"
    "const tr=el('tr');const td0=el('td',c.id);td0.title=c.why||'';tr.appendChild(td0);"
    "rs.forEach(r=>{const td=el('td',r?r.verdict:'-',r?'c '+r.verdict:'c');if(r){"
    "td.title=(r.reason||'')+' '+(r.native||'');td.onclick=()=>show(c,r);}tr.appendChild(td);});"
    "tb.appendChild(tr);}}\n"
    "for(const id of ['q','unexp','verdict'])document.getElementById(id).addEventListener('input',render);\n"
    "render();\n"
    /* index.html#case=ID&impl=NAME opens that cell's details (links, headless screenshots) */
    "if(typeof location!=='undefined'&&location.hash){const h=new URLSearchParams(location.hash.slice(1));"
    "const c=R.cases.find(x=>x.id===h.get('case')),r=byKey.get(h.get('case')+'\\u0000'+h.get('impl'));"
    "if(c&&r)show(c,r);}\n</script>\n</body></html>\n";

int hx_report_html_write(const hx_report *rep, const char *dir)
{
    char *path = hx_path_join(dir, "index.html");
    /* JSON safe inside a <script> element */
    int rc = hx_report_stream(rep, path, head, tail, HX_JW_ASCII | HX_JW_HTML | HX_REPORT_CERTS);
    free(path);
    return rc;
}
