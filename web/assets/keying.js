// The keying page (web/keying_page.py): a register page keyed cell by cell with the keyboard only.
// A cell is saved as the clerk moves on (saves are queued in order; a refused one takes the focus back
// with the server's reason), its crop is shown large and its place marked on the page image.
'use strict';
const data = document.body.dataset;
const DOC = Number(data.document);
const FACTORS = JSON.parse(data.factors || '{}');  // view pixels per page pixel, by page
const STATUS = JSON.parse(data.statuses || '{}');
const base = `/review/documents/${DOC}`;
const $ = (id) => document.getElementById(id);
const cells = () => [...document.querySelectorAll('input.cell')];
const say = (text) => { $('message').textContent = text; };
let chain = Promise.resolve();
let saving = 0;
const busy = (delta) => { saving += delta; document.body.dataset.saving = String(saving); };

async function post(path, body) {
  const response = await fetch(base + path, {
    method: 'POST', credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'X-Sohoa-Review': '1'},
    body: JSON.stringify(body),
  });
  if (response.redirected || response.status === 401) { location.href = '/login?next=' + location.pathname; return null; }
  const answer = await response.json();
  if (!response.ok) { say(answer.message + (answer.fix ? ' — ' + answer.fix : '')); return null; }
  return answer;
}

// --- what the clerk sees: the cell's crop, its place on the page -------------------------------------
const cropUrl = (input) => `${base}/crop.png?page=${input.dataset.page}&box=${input.dataset.box}`;
const fetched = new Set();
function prefetch(input) {
  if (!input || !input.dataset.box || fetched.has(cropUrl(input))) return;
  fetched.add(cropUrl(input));
  new Image().src = cropUrl(input);
}
function show(input) {
  const offer = input.dataset.suggestion ? ` — gợi ý (F4): ${input.dataset.suggestion}` : '';
  $('zoom-label').textContent = input.getAttribute('aria-label') + (input.title ? ' — ' + input.title : '') + offer;
  const zoom = $('zoom');
  zoom.hidden = !input.dataset.box;
  if (input.dataset.box) zoom.src = cropUrl(input);
  markOnPage(input);
  input.select();
  input.scrollIntoView({block: 'nearest', inline: 'nearest'});
  const all = cells(); const at = all.indexOf(input);
  all.slice(at + 1, at + 4).forEach(prefetch);
}
function markOnPage(input) {
  const mark = $('mark'); const page = $('page'); const sheet = $('sheet');
  if (!input.dataset.box) { mark.style.display = 'none'; return; }
  const wanted = `${base}/page.jpg?page=${input.dataset.page}`;
  if (!page.src.endsWith(wanted)) { page.src = wanted; page.alt = 'Trang ' + input.dataset.page; }
  if (!page.complete || !page.naturalWidth) {
    page.addEventListener('load', () => markOnPage(document.activeElement.matches('input.cell') ? document.activeElement : input), {once: true});
    return;
  }
  const [x0, y0, x1, y1] = input.dataset.box.split(',').map(Number);
  const scale = (FACTORS[input.dataset.page] || 1) * page.clientWidth / page.naturalWidth;
  Object.assign(mark.style, {
    display: 'block', left: `${x0 * scale}px`, top: `${y0 * scale}px`,
    width: `${(x1 - x0) * scale}px`, height: `${(y1 - y0) * scale}px`,
  });
  if (y0 * scale < sheet.scrollTop || y1 * scale > sheet.scrollTop + sheet.clientHeight) {
    sheet.scrollTop = Math.max(0, y0 * scale - sheet.clientHeight / 3);
  }
}

// --- checks as the clerk types: the server checks again, with the rest of the record --------------
const CHECKS = {
  date: [/^(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{4}-\d{2}-\d{2}|.*\b(ngày|tháng|năm)\b.*)$/iu, 'ngày viết như 12/03/2015'],
  personal_id: [/^\d{12}$/, 'số định danh cá nhân có đúng 12 chữ số'],
  sex: [/^(nam|nữ)$/iu, 'giới tính là Nam hoặc Nữ'],
  year: [/^\d{4}$/, 'năm có 4 chữ số'],
};
function problem(input, value) {
  const check = CHECKS[input.dataset.kind];
  return check && !check[0].test(value.normalize('NFC')) ? check[1] : '';
}

// --- deciding a cell -----------------------------------------------------------------------------------
function decide(input, action) {
  const waiting = input.classList.contains('pending') || input.classList.contains('error');
  if (!waiting) return true;  // decided already: moving on leaves it as it is
  const value = input.value.normalize('NFC').trim();
  const kind = action || (value !== input.dataset.original.normalize('NFC') ? 'correct' : 'accept');
  if (kind === 'accept' || kind === 'correct') {
    const wrong = value ? problem(input, value) : 'ô trống: gõ giá trị như trên giấy; F8 nếu trên giấy để trống, F9 nếu không đọc được';
    if (wrong) { say(`${input.getAttribute('aria-label')}: ${wrong}.`); input.classList.add('error'); return false; }
  }
  const ids = [input.dataset.field, ...input.dataset.twins.split(',').filter(Boolean)].map(Number);
  const keystrokes = Number(input.dataset.keys || 0);
  const decisions = ids.map((id, n) => ({
    field_id: id, action: kind, value: kind === 'correct' ? value : null, keystrokes: n ? 0 : keystrokes,
  }));
  const wasRefused = input.classList.contains('error');
  input.classList.remove('pending', 'error');
  input.classList.add('saving');
  busy(1);
  chain = chain.then(async () => {
    const answer = await post('/decisions', {decisions}).catch(() => null);
    busy(-1);
    input.classList.remove('saving');
    if (!answer) { input.classList.add('pending', 'error'); input.focus(); return; }
    // keyed twice: this keying waits for the other clerk's (the server decides when both are in)
    input.classList.add(data.keying === 'double' ? 'keyed' : kind === 'illegible' ? 'illegible' : 'accepted');
    input.readOnly = true;
    if (kind === 'blank') input.value = '';
    if (wasRefused) say('');  // its refusal is answered
    if (kind === 'correct') input.dataset.original = value;
    $('status').textContent = STATUS[answer.document_status] || answer.document_status;
    if (answer.waiting_for_you === 0) finished(answer);
  });
  return true;
}
function finished(answer) {
  const problems = answer.numbering || [];
  const numbering = problems.length ? ` Số thứ tự cần xem lại: ${problems.join('; ')}.` : ' Số thứ tự liên tục.';
  const waiting = answer.remaining ? ` Còn ${answer.remaining} ô chờ người nhập khác.` : '';
  say((answer.reissued ? 'Xong trang, đã ký lại bản điện tử.' : 'Xong trang.') + (answer.remaining ? waiting : numbering));
  document.body.dataset.done = '1';
  const next = $('next');
  next.href = answer.next; next.hidden = false; next.focus();
}

// --- moving --------------------------------------------------------------------------------------------
function move(input, step) {
  const all = cells(); const next = all[all.indexOf(input) + step];
  if (next) next.focus();
}
const at = (col, row) => document.querySelector(`input.cell[data-col="${col}"][data-row="${row}"]`);
function vertical(input, step) {
  const next = at(input.dataset.col, Number(input.dataset.row) + step);
  if (next && Number(input.dataset.row) >= 0) next.focus();
}
function sameAsAbove(input) {
  const above = Number(input.dataset.row) > 0 && at(input.dataset.col, Number(input.dataset.row) - 1);
  if (!above) { say('Không có ô phía trên để chép.'); return; }
  input.value = above.value;
  if (decide(input)) move(input, 1);
}

// --- rows ----------------------------------------------------------------------------------------------
async function addRow() {
  await chain;
  const answer = await post('/rows', {});
  if (answer) { location.hash = `row-${answer.record}`; location.reload(); }
}
let deleting = null;
async function deleteRow(input) {
  const row = input.closest('tr[data-record]');
  if (!row) return;
  if (deleting !== row.dataset.record) {
    deleting = row.dataset.record;
    say(`Nhấn Ctrl+Delete lần nữa để xóa dòng ${row.firstElementChild.textContent}.`);
    return;
  }
  await chain;
  const answer = await post(`/rows/${deleting}/delete`, {});
  deleting = null;
  if (answer) location.reload();
}

async function postpone() {  // F10: put the page off; it comes back after the others
  await chain;
  const answer = await post('/postpone', {});
  if (answer) location.href = answer.next;
}

// --- completion of places from the administrative units (old and new) ------------------------------
let timer = 0;
document.addEventListener('input', (event) => {
  const input = event.target.closest && event.target.closest('input.cell[data-kind="place"]');
  if (!input) return;
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const response = await fetch(`/review/complete?q=${encodeURIComponent(input.value)}`, {credentials: 'same-origin'});
    if (!response.ok) return;
    const names = await response.json();
    $('dl-place').replaceChildren(...names.map((name) => Object.assign(document.createElement('option'), {value: name})));
  }, 150);
});

document.addEventListener('keydown', (event) => {
  const input = event.target.closest && event.target.closest('input.cell');
  if (!input) return;
  input.dataset.keys = String(Number(input.dataset.keys || 0) + 1);  // for the keying figures
  const handled = {
    Enter: () => { if (decide(input)) move(input, 1); },
    Tab: () => (event.shiftKey ? move(input, -1) : decide(input) && move(input, 1)),
    ArrowDown: () => { if (!event.altKey && decide(input)) vertical(input, 1); },
    ArrowUp: () => { if (!event.altKey) vertical(input, -1); },
    F2: () => sameAsAbove(input),
    F7: () => addRow(),
    F8: () => { if (decide(input, 'blank')) move(input, 1); },
    F9: () => { if (decide(input, 'illegible')) move(input, 1); },
    F4: () => {  // the suggested value (unit names spelled officially), taken with one key
      if (input.dataset.suggestion) { input.value = input.dataset.suggestion; if (decide(input)) move(input, 1); }
    },
    F10: () => postpone(),
    Delete: () => { if (event.ctrlKey) deleteRow(input); },
  }[event.key];
  if (!handled || (event.key === 'Delete' && !event.ctrlKey) || (event.altKey && event.key.startsWith('Arrow'))) return;
  event.preventDefault();
  handled();
});
document.addEventListener('focusin', (event) => {
  if (event.target.matches && event.target.matches('input.cell')) show(event.target);
});
window.addEventListener('resize', () => {
  if (document.activeElement.matches('input.cell')) markOnPage(document.activeElement);
});
document.addEventListener('DOMContentLoaded', () => {
  const wanted = /^#row-(\d+)$/.exec(location.hash);
  const row = wanted && document.querySelector(`tr[data-record="${wanted[1]}"] input.cell`);
  const first = row || document.querySelector('input.cell.pending') || cells()[0];
  if (first) first.focus();
});
