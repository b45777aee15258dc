package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// get requests target, with the clerk's session cookie when withKey.
func get(t *testing.T, h http.Handler, target string, withKey bool) *http.Response {
	t.Helper()
	session := ""
	if withKey {
		session = "khoa-thu"
	}
	return getAs(t, h, target, session)
}

// getAs requests target with the cookie of the fake session, if any.
func getAs(t *testing.T, h http.Handler, target, session string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if session != "" {
		r.AddCookie(&http.Cookie{Name: cookieName, Value: session})
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

func TestPagesRender(t *testing.T) {
	t.Parallel()
	h := New(newFakeSessions())
	cases := []struct {
		path     string
		code     int
		contains []string
	}{
		{"/dang-nhap", 200, []string{`<label for="key">Khóa API</label>`, `name="next" value=""`}},
		{"/dang-nhap?next=/van-ban/d1", 200, []string{`name="next" value="/van-ban/d1"`}},
		{"/hang-doi?review_state=needs_review&doc_type=cong_van", 200, []string{
			"Hàng đợi duyệt", `<option value="needs_review" selected>`, `<option value="cong_van" selected>`,
			`<label for="dossier_id">Hồ sơ</label>`, `<label for="batch_id">Lô tải lên</label>`, `id="queue-items"`,
			"Duyệt và mở hồ sơ tiếp theo", `/static/queue.js?v=`, `href="/hang-doi" aria-current="page"`}},
		{"/tim-kiem?q=quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh&doc_type=quyet_dinh", 200, []string{
			`placeholder="Tìm kiếm văn bản…"`, `value="quyết định"`, `<option value="quyet_dinh" selected>Quyết định</option>`,
			`<label for="dossier_id">Mã hồ sơ</label>`, `<label for="review_state">Trạng thái duyệt</label>`,
			`<label for="from">Từ ngày</label>`, `<label for="to">Đến ngày</label>`, "Mở hồ sơ", `aria-current="page"`,
			`/static/search.js?v=`}},
		{"/tai-len?ma=000.00.15.H29-251201-0001", 200, []string{`value="000.00.15.H29-251201-0001"`, `type="file" multiple`, `type="file" webkitdirectory`, `id="time-left"`, `rel="icon"`, "Kéo và thả tệp", "Đã lập chỉ mục", "Đang xử lý", `/static/upload.js?v=`}},
		{"/ho-so/000.00.15.h29-251201-0001", 200, []string{`data-dossier="000.00.15.H29-251201-0001"`, "Hồ sơ <span class=\"code\">000.00.15.H29-251201-0001</span>"}},
		{"/ho-so/khong-hop-le", 400, []string{"Mã hồ sơ không hợp lệ"}},
		{"/van-ban/d0123abcd", 200, []string{`data-doc-id="d0123abcd"`, "Lưu sửa đổi", "Duyệt", "Trả lại", "Duyệt và mở hồ sơ tiếp theo", "Phóng to", `id="help-overlay"`, "Lịch sử thay đổi", "Văn bản OCR của trang", `<option value="giay_khai_sinh">Giấy khai sinh</option>`}},
		{"/khong-co", 404, []string{"Không tìm thấy trang"}},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			t.Parallel()
			res := get(t, h, c.path, true)
			if res.StatusCode != c.code {
				t.Fatalf("status = %d, want %d", res.StatusCode, c.code)
			}
			if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("Content-Security-Policy = %q", csp)
			}
			b := body(t, res)
			for _, want := range append([]string{`<html lang="vi">`, `<meta charset="utf-8">`, `id="sohoa-data"`}, c.contains...) {
				if !strings.Contains(b, want) {
					t.Errorf("page lacks %q", want)
				}
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	h := New(newFakeSessions())
	cases := []struct {
		name     string
		path     string
		withKey  bool
		location string
	}{
		{"root without key", "/", false, "/dang-nhap"},
		{"root with key", "/", true, "/hang-doi"},
		{"search without key", "/tim-kiem?q=a", false, "/dang-nhap?next=" + url.QueryEscape("/tim-kiem?q=a")},
		{"upload without key", "/tai-len", false, "/dang-nhap?next=%2Ftai-len"},
		{"review without key", "/van-ban/d1", false, "/dang-nhap?next=%2Fvan-ban%2Fd1"},
		{"open dossier", "/ho-so?ma=+000.00.15.h29-251201-0001", true, "/ho-so/000.00.15.H29-251201-0001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := get(t, h, c.path, c.withKey)
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("status = %d, want 303", res.StatusCode)
			}
			if diff := cmp.Diff(c.location, res.Header.Get("Location")); diff != "" {
				t.Errorf("Location (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogoutRevokesSession(t *testing.T) {
	t.Parallel()
	post := func(h http.Handler, form url.Values, origin string) *http.Response {
		r := httptest.NewRequest(http.MethodPost, "http://example.com/dang-xuat", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", origin)
		r.AddCookie(&http.Cookie{Name: cookieName, Value: "khoa-thu"})
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result()
	}
	s := newFakeSessions()
	h := New(s)
	if res := get(t, h, "/dang-xuat", true); res.StatusCode == http.StatusSeeOther || len(res.Cookies()) != 0 || len(s.revoked) != 0 {
		t.Errorf("GET /dang-xuat = %d with cookies %+v, revoked %v; want no sign-out by GET", res.StatusCode, res.Cookies(), s.revoked)
	}
	for _, c := range []struct {
		name   string
		csrf   string
		origin string
	}{{"wrong token", "csrf-khac", "http://example.com"}, {"other origin", "csrf-thu", "http://example.com:8081"}} {
		if res := post(h, url.Values{"csrf": {c.csrf}}, c.origin); res.StatusCode != http.StatusForbidden || len(s.revoked) != 0 {
			t.Errorf("%s: status %d, revoked %v; want 403 and the session kept", c.name, res.StatusCode, s.revoked)
		}
	}
	res := post(h, url.Values{"csrf": {"csrf-thu"}}, "http://example.com")
	cs := res.Cookies()
	if res.StatusCode != http.StatusSeeOther || len(cs) != 1 || cs[0].Name != cookieName || cs[0].MaxAge >= 0 || cs[0].Value != "" {
		t.Fatalf("status %d, cookies = %+v, want 303 and %s cleared", res.StatusCode, cs, cookieName)
	}
	if diff := cmp.Diff([]string{"khoa-thu"}, s.revoked); diff != "" {
		t.Errorf("revoked sessions (-want +got):\n%s", diff)
	}
	if res := get(t, h, "/tim-kiem", true); res.StatusCode != http.StatusSeeOther {
		t.Errorf("search page after sign-out = %d, want a redirect to the sign-in page", res.StatusCode)
	}
}

func TestSignedInPageCarriesCSRF(t *testing.T) {
	t.Parallel()
	b := body(t, get(t, New(newFakeSessions()), "/tim-kiem", true))
	for _, want := range []string{`<meta name="csrf-token" content="csrf-thu">`, `<form method="post" action="/dang-xuat"`, `name="csrf" value="csrf-thu"`} {
		if !strings.Contains(b, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(b, `href="/dang-xuat"`) {
		t.Error("sign-out is still a link (GET)")
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	h := New(newFakeSessions())
	cases := []struct {
		name     string
		form     url.Values
		origin   string
		code     int
		location string
		cookie   string // value set, "" for none
	}{
		{"sets cookie", url.Values{"key": {" khoa-can-bo "}}, "", 303, "/hang-doi", "phien-khoa-can-bo"},
		{"uploader lands on upload", url.Values{"key": {"khoa-tai-len"}, "next": {"/tim-kiem"}}, "", 303, "/tai-len", "phien-khoa-tai-len"},
		{"uploader keeps an upload next", url.Values{"key": {"khoa-tai-len"}, "next": {"/tai-len?ma=X-251201-0001"}}, "", 303, "/tai-len?ma=X-251201-0001", "phien-khoa-tai-len"},
		{"keeps next", url.Values{"key": {"k"}, "next": {"/van-ban/d1"}}, "http://example.com", 303, "/van-ban/d1", "phien-k"},
		{"refuses other hosts in next", url.Values{"key": {"k"}, "next": {"//evil.example/x"}}, "", 303, "/tim-kiem", "phien-k"},
		{"refuses URL in next", url.Values{"key": {"k"}, "next": {"https://evil.example/"}}, "", 303, "/tim-kiem", "phien-k"},
		{"wrong key", url.Values{"key": {"khoa-sai"}}, "", 401, "", ""},
		{"empty key", url.Values{"key": {"  "}}, "", 400, "", ""},
		{"key with space", url.Values{"key": {"a b"}}, "", 400, "", ""},
		{"cross-site post", url.Values{"key": {"k"}}, "https://evil.example", 403, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "http://example.com/dang-nhap", strings.NewReader(c.form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if c.origin != "" {
				r.Header.Set("Origin", c.origin)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			res := w.Result()
			if res.StatusCode != c.code {
				t.Fatalf("status = %d, want %d", res.StatusCode, c.code)
			}
			if got := res.Header.Get("Location"); got != c.location {
				t.Errorf("Location = %q, want %q", got, c.location)
			}
			var got *http.Cookie
			for _, ck := range res.Cookies() {
				if ck.Name == cookieName {
					got = ck
				}
			}
			if c.cookie == "" {
				if got != nil {
					t.Fatalf("cookie set to %q, want none", got.Value)
				}
				b := body(t, res)
				if !strings.Contains(b, `role="alert"`) {
					t.Errorf("no error shown on the form")
				}
				if c.code == http.StatusUnauthorized && !strings.Contains(b, wrongKey) {
					t.Errorf("wrong key: the form lacks %q", wrongKey)
				}
				return
			}
			if got == nil {
				t.Fatal("no session cookie")
			}
			want := http.Cookie{Name: cookieName, Value: c.cookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode}
			if diff := cmp.Diff(want, http.Cookie{Name: got.Name, Value: got.Value, Path: got.Path, HttpOnly: got.HttpOnly, SameSite: got.SameSite}); diff != "" {
				t.Errorf("cookie (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	h := New(newFakeSessions()).(*UI)
	cases := []struct {
		file, contentType string
	}{
		{"app.css", "text/css; charset=utf-8"},
		{"common.js", "text/javascript; charset=utf-8"},
		{"review.js", "text/javascript; charset=utf-8"},
		{"search.js", "text/javascript; charset=utf-8"},
		{"upload.js", "text/javascript; charset=utf-8"},
		{"dossier.js", "text/javascript; charset=utf-8"},
		{"queue.js", "text/javascript; charset=utf-8"},
		{"favicon.svg", "image/svg+xml"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			res := get(t, h, h.assetURL(c.file), false)
			if res.StatusCode != 200 {
				t.Fatalf("status = %d", res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != c.contentType {
				t.Errorf("Content-Type = %q, want %q", got, c.contentType)
			}
			if got := res.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
				t.Errorf("Cache-Control = %q for a versioned URL", got)
			}
		})
	}
	if res := get(t, h, "/favicon.ico", false); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != h.assetURL("favicon.svg") {
		t.Errorf("/favicon.ico = %d → %q, want a redirect to the favicon", res.StatusCode, res.Header.Get("Location"))
	}
	if res := get(t, h, "/static/khong-co.js", false); res.StatusCode != 404 {
		t.Errorf("missing file: status %d, want 404", res.StatusCode)
	}
}

func TestUnknownAPIPathIsJSON(t *testing.T) {
	t.Parallel()
	res := get(t, New(newFakeSessions()), "/v1/khong-co", true)
	if res.StatusCode != 404 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Errorf("status %d, Content-Type %q; want a JSON 404", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestClientTypes(t *testing.T) {
	t.Parallel()
	h := New(newFakeSessions()).(*UI)
	got := map[string][]string{}
	for _, ty := range h.client.Types {
		got[ty.Code] = ty.Fields
	}
	want := map[string][]string{
		"quyet_dinh": {"number", "issued_date", "place", "issuer", "subject", "signing_authority", "signer_title", "signer", "normative"},
		"to_trinh":   {"number", "issued_date", "place", "issuer", "subject", "recipient", "signing_authority", "signer_title", "signer", "normative"},
		"khac":       {},
	}
	for code, fields := range want {
		if diff := cmp.Diff(fields, got[code]); diff != "" {
			t.Errorf("%s fields (-want +got):\n%s", code, diff)
		}
	}
	// Every taxonomy field has a Vietnamese label.
	for _, ty := range h.client.Types {
		for _, f := range ty.Fields {
			if _, ok := h.client.Labels[f]; !ok {
				t.Errorf("field %s of %s has no Vietnamese label", f, ty.Code)
			}
		}
	}
}

// TestControlsByRole checks that a page shows only what the role can use: the API refuses the
// rest anyway, but a control that can only fail is noise to a clerk.
func TestControlsByRole(t *testing.T) {
	t.Parallel()
	h := New(newFakeSessions())
	cases := []struct {
		name, session, path string
		code                int
		has, lacks          []string
	}{
		{"clerk's review page", "khoa-thu", "/van-ban/d1", 200,
			[]string{`id="approve-button"`, `id="send-back-button"`, `id="save-button"`, `href="/tai-len"`, `href="/hang-doi"`, `id="boundary-section"`, "/static/boundary.js"}, nil},
		{"reader's review page", "khoa-doc", "/van-ban/d1", 200,
			[]string{`href="/hang-doi"`, `href="/tim-kiem"`, `data-can-review="false"`},
			[]string{`id="approve-button"`, `id="send-back-button"`, `id="save-button"`, `id="approve-next-button"`, `href="/tai-len"`, "Lịch sử thay đổi", `id="boundary-section"`}},
		{"reader's queue", "khoa-doc", "/hang-doi", 200, []string{`id="queue-items"`}, []string{"Duyệt và mở hồ sơ tiếp theo"}},
		{"uploader's upload page", "khoa-up", "/tai-len", 200, []string{`href="/tai-len"`, `data-can-read="false"`}, []string{`href="/tim-kiem"`, `href="/hang-doi"`}},
		{"uploader on search", "khoa-up", "/tim-kiem", 403, []string{"Vai trò của bạn không dùng được trang này"}, nil},
		{"admin's dead letters", "khoa-qt", "/su-kien-loi", 200, []string{`id="dead"`, "/static/dead.js", `href="/su-kien-loi"`}, nil},
		{"clerk on dead letters", "khoa-thu", "/su-kien-loi", 403, []string{"Vai trò của bạn không dùng được trang này"}, []string{`href="/su-kien-loi"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := getAs(t, h, c.path, c.session)
			if res.StatusCode != c.code {
				t.Fatalf("status = %d, want %d", res.StatusCode, c.code)
			}
			b := body(t, res)
			for _, want := range c.has {
				if !strings.Contains(b, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			for _, no := range c.lacks {
				if strings.Contains(b, no) {
					t.Errorf("page shows %q", no)
				}
			}
		})
	}
	if res := getAs(t, h, "/", "khoa-up"); res.Header.Get("Location") != "/tai-len" {
		t.Errorf("an uploader's start page is %q, want /tai-len", res.Header.Get("Location"))
	}
}
