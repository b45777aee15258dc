// Queue page: what needs review, worst first (the API's order), with counts per state, type,
// dossier and batch. The filters live in the address; choosing one applies it at once. Each
// document link carries the filter and the item's cursor, so the review page can open the
// next document of this same queue (see review.js).
'use strict';

(function () {
  const S = window.Sohoa;
  const el = S.el;
  const form = document.getElementById('queue-form');
  const body = document.getElementById('queue-items').tBodies[0];
  const total = document.getElementById('queue-total');
  const stateCounts = document.getElementById('state-counts');
  const more = document.getElementById('more');
  const start = document.getElementById('start-review');
  const selects = Array.from(form.querySelectorAll('select[data-facet]'));
  const pageSize = 50;

  const stateNames = {
    needs_review: 'Cần duyệt', auto: 'Tự động', approved: 'Đã duyệt', none: 'Chưa trích xuất',
  };
  // The label of each select's options without counts, to add the counts to.
  const baseLabel = new Map();
  for (const s of selects) for (const o of s.options) baseLabel.set(o, o.textContent);

  function facetLabel(facet, value) {
    if (facet === 'review_state') return stateNames[value] || value;
    if (facet === 'doc_type') return S.typeName(value);
    return value;
  }

  // filter returns the queue's filter from the form, as the API and the address take it.
  function filter() {
    return S.queueFilter(new URLSearchParams(new FormData(form)));
  }

  // showFacets adds the counts to the options and lists dossiers and batches that have
  // documents; a chosen value stays even when its count drops to zero.
  function showFacets(facets) {
    for (const s of selects) {
      const name = s.dataset.facet;
      const counts = new Map((facets[name] || []).map((c) => [c.value, c.count]));
      if (name === 'dossier_id' || name === 'batch_id') {
        const chosen = s.value;
        const values = Array.from(counts.keys());
        if (chosen && !counts.has(chosen)) values.unshift(chosen);
        s.replaceChildren(el('option', { value: '' }, 'Tất cả'),
          ...values.map((v) => el('option', { value: v, selected: v === chosen }, v + ' (' + (counts.get(v) || 0) + ')')));
        continue;
      }
      let all = 0;
      for (const c of counts.values()) all += c;
      for (const o of s.options) {
        const base = baseLabel.get(o);
        const n = o.value === '' || o.value === 'all' ? all : (counts.get(o.value) || 0);
        o.textContent = base + ' (' + n + ')';
      }
    }
    stateCounts.replaceChildren(...['needs_review', 'auto', 'approved', 'none'].map((v) => {
      const c = (facets.review_state || []).find((x) => x.value === v);
      return el('div', { 'data-state': v }, el('dt', {}, facetLabel('review_state', v)), el('dd', {}, String(c ? c.count : 0)));
    }));
  }

  function reasonList(item) {
    const reasons = item.review_reasons || [];
    if (reasons.length === 0) return el('td', { class: 'muted' }, '–');
    return el('td', {}, el('ul', { class: 'reasons' }, ...reasons.map((r) =>
      el('li', {}, (r.field ? S.fieldLabel(r.field) + ': ' : '') + r.message))));
  }

  function row(item, query) {
    const href = S.reviewURL(item.id, query, item.cursor);
    return el('tr', { 'data-id': item.id },
      el('td', {}, el('a', { href }, S.typeName(item.doc_type)), el('span', { class: 'source' }, item.file_name)),
      el('td', {}, el('a', { href: '/ho-so/' + encodeURIComponent(item.dossier_id) }, item.dossier_id),
        el('span', { class: 'source' }, 'Lô ' + item.batch_id)),
      el('td', {}, S.reviewBadge(item.review_state), ' ', item.status === 'indexed' ? null : S.statusBadge(item.status)),
      el('td', { class: item.failed_checks ? 'invalid' : '' }, String(item.failed_checks)),
      el('td', {}, item.review_state ? S.formatPercent(item.lowest_confidence) : '–'),
      reasonList(item));
  }

  let next = '';
  let loading = 0;

  async function load(append) {
    const query = filter();
    const q = new URLSearchParams(query);
    q.set('limit', String(pageSize));
    if (append && next) q.set('after', next);
    const mine = ++loading;
    try {
      const page = await S.api('/v1/review/queue?' + q.toString());
      if (mine !== loading) return; // a newer filter was chosen meanwhile
      S.clearMessages();
      const rows = page.items.map((it) => row(it, query));
      if (append) body.append(...rows);
      else body.replaceChildren(...rows);
      if (!append && rows.length === 0) {
        body.append(el('tr', {}, el('td', { colspan: '6', class: 'muted' }, 'Không có văn bản nào phù hợp bộ lọc.')));
      }
      next = page.next || '';
      more.hidden = !next;
      total.textContent = '(' + page.total + ')';
      showFacets(page.facets);
      if (start) {
        const first = body.querySelector('tr[data-id] a');
        start.hidden = !first;
        if (first) start.href = first.getAttribute('href');
      }
      S.main.dataset.loaded = String(Date.now());
    } catch (err) {
      if (mine !== loading) return;
      S.showError(null, err, 'Không tải được hàng đợi');
    }
  }

  // A filter applies as soon as it is chosen; the address follows, so the back button and a
  // bookmark give the same list.
  for (const s of selects) {
    s.addEventListener('change', () => {
      const q = new URLSearchParams(new FormData(form));
      for (const [k, v] of Array.from(q.entries())) if (!v) q.delete(k);
      history.replaceState(null, '', '/hang-doi?' + q.toString());
      load(false);
    });
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    load(false);
  });
  more.addEventListener('click', () => load(true));
  // The review page comes back here with het=1 when the queue has nothing after its document.
  if (new URLSearchParams(location.search).get('het') === '1') {
    document.getElementById('messages').before(el('p', { class: 'notice', role: 'status', id: 'queue-done' },
      'Đã duyệt hết các văn bản theo bộ lọc này.'));
  }
  load(false);
})();
