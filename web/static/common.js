// Shared helpers of the sohoa pages: API calls with Vietnamese error messages, safe DOM
// building (never innerHTML with data) and the Vietnamese names of codes.
'use strict';

window.Sohoa = (function () {
  const data = JSON.parse(document.getElementById('sohoa-data').textContent);
  const types = new Map(data.types.map((t) => [t.code, t]));
  const main = document.getElementById('main');

  // Vietnamese text for the HTTP statuses the API answers with.
  const statusText = {
    0: 'Không kết nối được máy chủ',
    400: 'Yêu cầu không hợp lệ',
    401: 'Khóa API không hợp lệ',
    403: 'Bạn không có quyền thực hiện thao tác này',
    404: 'Không tìm thấy',
    409: 'Dữ liệu bị xung đột',
    413: 'Tệp quá lớn',
    429: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
    500: 'Lỗi máy chủ',
    502: 'Máy chủ tạm thời không phản hồi',
    503: 'Dịch vụ tạm thời không khả dụng',
  };

  // Vietnamese text for the API's stable error codes (the Error schema in openapi.json); the
  // API's own sentence is English, so it is kept for the record but not shown.
  const codeText = {
    bad_request: 'Yêu cầu không hợp lệ',
    invalid_parameter: 'Điều kiện lọc hoặc tham số không hợp lệ',
    invalid_field: 'Giá trị của trường không hợp lệ',
    unauthorized: 'Phiên đăng nhập đã hết hạn hoặc khóa không hợp lệ',
    forbidden: 'Vai trò của bạn không được thực hiện thao tác này',
    pii_required: 'Chỉ người có quyền xem dữ liệu cá nhân mới xem được nội dung này',
    csrf_failed: 'Yêu cầu bị từ chối vì không gửi từ trang của hệ thống; hãy tải lại trang',
    not_found: 'Không tìm thấy văn bản hoặc dữ liệu',
    method_not_allowed: 'Thao tác không được hỗ trợ',
    conflict: 'Trạng thái văn bản không cho phép thao tác này (ví dụ văn bản xử lý lỗi không thể duyệt)',
    override_required: 'Văn bản còn trường bắt buộc bị thiếu hoặc chưa hợp lệ',
    confirmation_required: 'Còn trường bị đánh dấu chưa được xác nhận hoặc sửa',
    not_ready: 'Văn bản chưa xử lý xong',
    too_large: 'Dữ liệu gửi lên quá lớn',
    search_unavailable: 'Chức năng tìm kiếm tạm thời không hoạt động; vẫn mở được văn bản theo mã',
    storage_full: 'Bộ nhớ của máy chủ đã đầy nên chưa lưu được gì; hãy báo quản trị viên và gửi lại sau',
    internal: 'Lỗi máy chủ; vui lòng thử lại sau',
  };

  class ApiError extends Error {
    constructor(status, detail, code, param) {
      super(codeText[code] || statusText[status] || ('Lỗi máy chủ (mã ' + status + ')'));
      this.status = status;
      this.detail = detail || ''; // the API's English sentence, for the console only
      this.code = code || ''; // the API's stable error code (see the Error schema)
      this.param = param || ''; // the parameter or field at fault
      if (this.param && (code === 'invalid_field' || code === 'invalid_parameter' || code === 'confirmation_required')) {
        this.message += ' (' + fieldLabel(this.param) + ')';
      }
    }
  }

  // The session's CSRF token: the API refuses a change made with the session cookie unless
  // it carries this token in X-CSRF-Token (a header no other site's form can set).
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrfToken = csrfMeta ? csrfMeta.content : '';

  // csrfHeaders returns the headers a state-changing request needs (for XMLHttpRequest).
  function csrfHeaders() {
    return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
  }

  // api calls the JSON API with the session cookie and returns the decoded answer; an error
  // answer becomes an ApiError carrying the API's own message as detail.
  async function api(path, opts) {
    const o = opts || {};
    const method = (o.method || 'GET').toUpperCase();
    const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (method !== 'GET' && method !== 'HEAD') Object.assign(init.headers, csrfHeaders());
    if (o.json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(o.json);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, e && e.message);
    }
    const text = await res.text();
    let body = null;
    if (text) {
      try { body = JSON.parse(text); } catch (e) { body = null; }
    }
    if (!res.ok) {
      throw new ApiError(res.status, body && body.error ? body.error : '', body && body.code, body && body.param);
    }
    return body;
  }

  // el builds an element; children that are strings become text nodes, so data can never be
  // parsed as markup.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k in e && typeof v !== 'string') e[k] = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  // showError puts a Vietnamese message into box: the API's error code mapped to Vietnamese,
  // never the API's English sentence.
  function showError(box, err, what) {
    const target = box || document.getElementById('messages');
    target.replaceChildren();
    let msg = 'Đã xảy ra lỗi';
    if (typeof err === 'string') msg = err;
    else if (err instanceof ApiError) msg = err.message;
    else if (err instanceof Error) {
      msg = 'Lỗi trên trang, vui lòng tải lại trang';
      console.warn('sohoa page error:', err);
    }
    const p = el('p', { class: 'alert', role: 'alert' }, (what ? what + ': ' : '') + msg + '.');
    if (err instanceof ApiError) {
      p.dataset.code = err.code;
      if (err.detail) console.info('sohoa API:', err.status, err.code, err.detail);
    }
    if (err instanceof ApiError && err.status === 401) {
      const next = location.pathname + location.search;
      p.append(' ', el('a', { href: '/dang-nhap?next=' + encodeURIComponent(next) }, 'Đăng nhập lại'));
    }
    target.append(p);
  }

  function clearMessages(box) {
    (box || document.getElementById('messages')).replaceChildren();
  }

  // appendSnippet appends a search snippet whose matches come wrapped in <mark>…</mark>:
  // only those two tags are turned into elements, everything else stays text.
  function appendSnippet(parent, snippet) {
    let target = parent;
    for (const part of String(snippet || '').split(/(<mark>|<\/mark>)/)) {
      if (part === '<mark>') {
        target = el('mark');
        parent.append(target);
      } else if (part === '</mark>') {
        target = parent;
      } else if (part) {
        target.append(document.createTextNode(part));
      }
    }
    return parent;
  }

  const documentStatus = {
    received: 'Đã nhận',
    queued: 'Đang chờ xử lý',
    processing: 'Đang xử lý',
    indexed: 'Đã lập chỉ mục',
    failed: 'Lỗi',
    rejected: 'Bị từ chối',
  };
  const reviewState = {
    '': 'Chưa trích xuất',
    needs_review: 'Cần duyệt',
    auto: 'Tự động (không cần duyệt)',
    approved: 'Đã duyệt',
  };

  // queueFilter turns the queue page's parameters into the API's: no review_state means the
  // default queue (what needs review), "all" means every state.
  function queueFilter(params) {
    const out = {};
    const state = params.get('review_state') || 'needs_review';
    if (state !== 'all') out.review_state = state;
    for (const k of ['doc_type', 'dossier_id', 'batch_id']) {
      const v = (params.get(k) || '').trim();
      if (v) out[k] = v;
    }
    return out;
  }

  // reviewURL is the review page of a document opened from the queue: it carries the filter
  // and the item's cursor, which is where "next document" continues from.
  function reviewURL(id, filter, cursor) {
    const q = new URLSearchParams(filter);
    q.set('hang_doi', '1');
    if (!filter.review_state) q.set('review_state', 'all');
    if (cursor) q.set('sau', cursor);
    return '/van-ban/' + encodeURIComponent(id) + '?' + q.toString();
  }

  function typeName(code) {
    if (!code) return 'Chưa phân loại';
    const t = types.get(code);
    return t ? t.name : code;
  }

  function fieldLabel(name) {
    return data.labels[name] || name;
  }

  function statusBadge(status) {
    return el('span', { class: 'badge ' + status }, documentStatus[status] || status);
  }

  function reviewBadge(state) {
    return el('span', { class: 'badge ' + (state || 'none') }, reviewState[state || ''] || state);
  }

  const percent = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 0 });
  function formatPercent(x) {
    return typeof x === 'number' ? percent.format(x) : '–';
  }

  // formatDate shows an ISO date (or a year) the Vietnamese way: 05/01/2020.
  function formatDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : (iso || '');
  }

  function formatTime(ts) {
    const d = new Date(ts);
    return isNaN(d) ? ts : d.toLocaleString('vi-VN');
  }

  return {
    data, types, main, api, csrfHeaders, ApiError, el, showError, clearMessages, appendSnippet,
    typeName, fieldLabel, statusBadge, reviewBadge, documentStatus, reviewState,
    formatPercent, formatDate, formatTime, queueFilter, reviewURL,
  };
})();
