// Package web is sohoa's clerk and upload UI: server-rendered Vietnamese pages (html/template)
// with small vanilla-JS scripts and a style sheet, all embedded in the binary. The pages hold
// no data of their own: the scripts call the JSON API under /v1 from the browser, which
// authenticates them with the session cookie set by the login page. The cookie holds a
// server-side session token, never the API key; the pages echo the session's CSRF token (from
// a <meta> tag) in the X-CSRF-Token header of every change.
//
// It must not import the database driver, the queue, the search client or the api and store
// packages: everything a page shows comes through the API, with the API's permissions,
// masking and audit log applied.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/sohoa/sohoa/record"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// cookieName is the session cookie the API authenticates the pages' calls with (see
// api/session.go, which reads the same name).
const cookieName = "sohoa_session"

// Sessions signs clerks in and out. Only the API knows the keys and the sessions, and web
// must not import it, so the API server implements this for the UI.
type Sessions interface {
	// SignIn checks an API key and starts a session; ok is false for a wrong, expired or
	// revoked key, err only for a failure of the server.
	SignIn(ctx context.Context, key string) (token string, ok bool, err error)
	// Access returns what a live session may do: its CSRF token and the permissions of its
	// role (upload, read, pii, review, admin); ok is false for an unknown, expired or
	// revoked session. The pages show only the controls the role can use; the API checks
	// every call again.
	Access(ctx context.Context, token string) (csrf string, perms []string, ok bool)
	// SignOut revokes a session.
	SignOut(ctx context.Context, token string) error
}

// docIDPattern bounds what the review page accepts as a document ID before the API sees it.
var docIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// asset is one embedded static file with its content hash, so its URL can carry a version
// and browsers may cache it for good.
type asset struct {
	data        []byte
	contentType string
	version     string
}

// clientData is the JSON every page embeds for its scripts.
type clientData struct {
	Types  []typeInfo        `json:"types"`
	Labels map[string]string `json:"labels"`
}

// page is what a template gets.
type page struct {
	Title   string
	Active  string          // nav entry: queue, search, upload
	Nav     bool            // show the navigation (not on the login page)
	Can     map[string]bool // the session's permissions (see Sessions.Access)
	Scripts []string
	Client  clientData
	Types   []typeInfo
	Error   string
	CSRF    string // the session's CSRF token, for the <meta> tag and the sign-out form
	// Page-specific values.
	Next    string
	DocID   string
	Dossier string
	Query   url.Values
}

// UI serves the pages and their static files.
type UI struct {
	sessions Sessions
	pages    map[string]*template.Template
	assets   map[string]asset
	client   clientData
	mux      *http.ServeMux
}

// New returns the UI handler, mounted at "/" by the API server (api.Config.UI), signing
// clerks in and out through sessions.
func New(sessions Sessions) http.Handler {
	u := &UI{sessions: sessions, assets: loadAssets()}
	tax := record.MustTaxonomy()
	u.client = clientData{Types: clientTypes(tax), Labels: labelMap()}
	u.pages = parsePages(u.assetURL)

	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", u.root)
	m.HandleFunc("GET /dang-nhap", u.loginForm)
	m.HandleFunc("POST /dang-nhap", u.login)
	m.HandleFunc("POST /dang-xuat", u.logout)
	m.HandleFunc("GET /hang-doi", u.signedIn(permRead, u.queue))
	m.HandleFunc("GET /tim-kiem", u.signedIn(permRead, u.search))
	m.HandleFunc("GET /tai-len", u.signedIn(permUpload, u.upload))
	m.HandleFunc("GET /ho-so", u.signedIn(permRead, u.openDossier))
	m.HandleFunc("GET /ho-so/{code}", u.signedIn(permRead, u.dossier))
	m.HandleFunc("GET /van-ban/{id}", u.signedIn(permRead, u.document))
	m.HandleFunc("GET /su-kien-loi", u.signedIn(permAdmin, u.deadLetters))
	m.HandleFunc("GET /static/{file}", u.static)
	// Browsers ask for /favicon.ico on their own, whatever the page's <link rel="icon">.
	m.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, u.assetURL("favicon.svg"), http.StatusMovedPermanently)
	})
	m.HandleFunc("/", u.notFound)
	u.mux = m
	return u
}

// ServeHTTP sets the headers every UI answer carries and routes the request.
func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Scripts and styles come only from this server; the page never runs inline script, so
	// an injected string in OCR text or a field value cannot execute.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	u.mux.ServeHTTP(w, r)
}

func loadAssets() map[string]asset {
	out := map[string]asset{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		out[path.Base(p)] = asset{data: data, contentType: ct, version: hex.EncodeToString(sum[:6])}
		return nil
	})
	if err != nil {
		// The files are embedded at build time; failing to read them is a build defect.
		panic(fmt.Sprintf("reading embedded static files: %v", err))
	}
	return out
}

func (u *UI) assetURL(name string) string {
	a, ok := u.assets[name]
	if !ok {
		panic("web: no static file " + name) // caught by the template tests
	}
	return "/static/" + name + "?v=" + a.version
}

// parsePages parses each page template together with the shared layout.
func parsePages(assetURL func(string) string) map[string]*template.Template {
	funcs := template.FuncMap{
		"asset": assetURL,
		"q": func(v url.Values, key string) string {
			return v.Get(key)
		},
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"login", "queue", "search", "upload", "dossier", "document", "dead", "error"} {
		t := template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/base.html", "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

// render writes a page; it renders into a buffer first so a template error becomes a clean 500.
// The page's CSRF token comes from the request (see signedIn), so no handler can forget it.
func (u *UI) render(w http.ResponseWriter, r *http.Request, code int, name string, p page) {
	a := accessFrom(r.Context())
	p.CSRF, p.Can = a.csrf, a.can
	p.Client = u.client
	p.Types = u.client.Types
	var buf bytes.Buffer
	if err := u.pages[name].ExecuteTemplate(&buf, "base", p); err != nil {
		// Only a template defect gets here, and the page tests render every template.
		http.Error(w, "Lỗi hiển thị trang: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

func sessionToken(r *http.Request) string {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return ""
	}
	return c.Value
}

// Permission names, as Sessions.Access gives them.
const (
	permUpload = "upload"
	permRead   = "read"
	permReview = "review"
	permAdmin  = "admin"
)

// access is what the visitor's live session may do.
type access struct {
	csrf string
	can  map[string]bool
}

type accessKey struct{}

func accessFrom(ctx context.Context) access {
	a, _ := ctx.Value(accessKey{}).(access)
	return a
}

// session returns what the visitor's live session may do; ok is false without one.
func (u *UI) session(r *http.Request) (access, bool) {
	token := sessionToken(r)
	if token == "" {
		return access{}, false
	}
	csrf, perms, ok := u.sessions.Access(r.Context(), token)
	if !ok {
		return access{}, false
	}
	a := access{csrf: csrf, can: make(map[string]bool, len(perms))}
	for _, p := range perms {
		a.can[p] = true
	}
	return a, true
}

// signedIn sends a visitor without a live session (none, expired or revoked) to the login
// page, remembering where they wanted to go, and one whose role lacks perm to the page their
// role starts on; a page gets the session's CSRF token and permissions.
func (u *UI) signedIn(perm string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, ok := u.session(r)
		if !ok {
			http.Redirect(w, r, "/dang-nhap?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), accessKey{}, a))
		if !a.can[perm] {
			u.render(w, r, http.StatusForbidden, "error", page{Title: "Không có quyền", Nav: true,
				Error: "Vai trò của bạn không dùng được trang này.", Next: home(a.can)})
			return
		}
		h(w, r)
	}
}

// home is the page a role starts on: the review queue for clerks, search for readers, the
// upload page for uploaders (who may do nothing else).
func home(can map[string]bool) string {
	switch {
	case can[permReview]:
		return "/hang-doi"
	case can[permRead]:
		return "/tim-kiem"
	case can[permUpload]:
		return "/tai-len"
	}
	return "/dang-nhap"
}

// pagePerm is the permission the page at path needs.
func pagePerm(path string) string {
	if path == "/tai-len" || strings.HasPrefix(path, "/tai-len?") {
		return permUpload
	}
	return permRead
}

func (u *UI) root(w http.ResponseWriter, r *http.Request) {
	a, ok := u.session(r)
	if !ok {
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, home(a.can), http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this site: a path, never "//host" or a URL; ""
// means the role's own start page.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.ContainsAny(next, "\r\n") {
		return ""
	}
	return next
}

func (u *UI) loginForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "login", page{Title: "Đăng nhập", Next: safeNext(r.URL.Query().Get("next"))})
}

// validKey reports whether s can be a cookie value: visible ASCII without the characters
// cookies reserve. API keys are generated tokens, so this refuses only typing mistakes.
func validKey(s string) bool {
	if s == "" || len(s) > 512 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == ';' || c == '\\' || c == ',' {
			return false
		}
	}
	return true
}

// sameOrigin refuses a login posted from another site (login CSRF would sign a clerk in
// with someone else's key). Browsers send Origin on every POST form submission.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return r.Header.Get("Sec-Fetch-Site") == "" || r.Header.Get("Sec-Fetch-Site") == "same-origin"
	}
	ou, err := url.Parse(o)
	return err == nil && ou.Host == r.Host
}

// wrongKey is what the sign-in page says to a wrong, expired or revoked key.
const wrongKey = "Khóa API không đúng, đã hết hạn hoặc đã bị thu hồi. Vui lòng kiểm tra lại."

// login checks the key with the API and, when it is valid, sets a cookie holding a new
// server-side session token. A wrong key gets the form again with a message, and neither
// a session nor a cookie.
func (u *UI) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		u.render(w, r, http.StatusForbidden, "login", page{Title: "Đăng nhập",
			Error: "Yêu cầu đăng nhập không đến từ trang này."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		u.render(w, r, http.StatusBadRequest, "login", page{Title: "Đăng nhập", Error: "Biểu mẫu không hợp lệ."})
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	key := strings.TrimSpace(r.PostForm.Get("key"))
	if !validKey(key) {
		u.render(w, r, http.StatusBadRequest, "login", page{Title: "Đăng nhập", Next: next,
			Error: "Vui lòng nhập khóa API hợp lệ (chữ, số và ký hiệu, không có dấu cách)."})
		return
	}
	token, ok, err := u.sessions.SignIn(r.Context(), key)
	if err != nil {
		u.render(w, r, http.StatusInternalServerError, "login", page{Title: "Đăng nhập", Next: next,
			Error: "Máy chủ không đăng nhập được lúc này. Vui lòng thử lại sau."})
		return
	}
	if !ok {
		u.render(w, r, http.StatusUnauthorized, "login", page{Title: "Đăng nhập", Next: next, Error: wrongKey})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(r),
	})
	// The page asked for, when the role can use it; else the role's own start page (an
	// uploader sent to the search page lands on the upload page).
	if _, perms, ok := u.sessions.Access(r.Context(), token); ok {
		can := map[string]bool{}
		for _, p := range perms {
			can[p] = true
		}
		if next == "" || !can[pagePerm(next)] {
			next = home(can)
		}
	}
	if next == "" {
		next = "/tim-kiem"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// secure reports whether the browser reached us over HTTPS, directly or through a proxy that
// says so; the cookie is then marked Secure.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// logout revokes the session and clears the cookie. It answers only POST, from this site's
// sign-out form carrying the session's CSRF token, so no link or other page can sign a clerk
// out.
func (u *UI) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if !sameOrigin(r) || r.ParseForm() != nil {
		u.render(w, r, http.StatusForbidden, "error", page{Title: "Không đăng xuất được",
			Error: "Yêu cầu đăng xuất không đến từ trang này."})
		return
	}
	if token := sessionToken(r); token != "" {
		if csrf, _, ok := u.sessions.Access(r.Context(), token); ok {
			if subtle.ConstantTimeCompare([]byte(csrf), []byte(r.PostForm.Get("csrf"))) != 1 {
				u.render(w, r, http.StatusForbidden, "error", page{Title: "Không đăng xuất được",
					Error: "Yêu cầu đăng xuất không đến từ trang này."})
				return
			}
			if err := u.sessions.SignOut(r.Context(), token); err != nil {
				u.render(w, r, http.StatusInternalServerError, "error", page{Title: "Không đăng xuất được",
					Error: "Máy chủ không đăng xuất được lúc này. Vui lòng thử lại."})
				return
			}
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(r),
	})
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}

// queue lists what needs review; the filters are in the address, so a filtered queue can be
// bookmarked and the review page can come back to it.
func (u *UI) queue(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "queue", page{Title: "Hàng đợi duyệt", Active: "queue", Nav: true,
		Scripts: []string{"queue.js"}, Query: r.URL.Query()})
}

func (u *UI) search(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "search", page{Title: "Tìm kiếm văn bản", Active: "search", Nav: true,
		Scripts: []string{"search.js"}, Query: r.URL.Query()})
}

func (u *UI) upload(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "upload", page{Title: "Tải lên hồ sơ", Active: "upload", Nav: true,
		Scripts: []string{"upload.js"}, Dossier: r.URL.Query().Get("ma")})
}

// openDossier answers the "Mở hồ sơ" form, which works without scripts.
func (u *UI) openDossier(w http.ResponseWriter, r *http.Request) {
	code, err := record.ParseDossierID(r.URL.Query().Get("ma"))
	if err != nil {
		u.render(w, r, http.StatusBadRequest, "error", page{Title: "Mã hồ sơ không hợp lệ", Nav: true,
			Error: "Mã hồ sơ không đúng dạng. Ví dụ: 000.00.15.H29-251201-0001."})
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(code.String()), http.StatusSeeOther)
}

func (u *UI) dossier(w http.ResponseWriter, r *http.Request) {
	code, err := record.ParseDossierID(r.PathValue("code"))
	if err != nil {
		u.render(w, r, http.StatusBadRequest, "error", page{Title: "Mã hồ sơ không hợp lệ", Nav: true,
			Error: "Mã hồ sơ không đúng dạng. Ví dụ: 000.00.15.H29-251201-0001."})
		return
	}
	u.render(w, r, http.StatusOK, "dossier", page{Title: "Hồ sơ " + code.String(), Nav: true,
		Scripts: []string{"dossier.js"}, Dossier: code.String()})
}

func (u *UI) document(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !docIDPattern.MatchString(id) {
		u.notFound(w, r)
		return
	}
	u.render(w, r, http.StatusOK, "document", page{Title: "Duyệt văn bản", Nav: true,
		Scripts: []string{"review.js", "boundary.js", "neardup.js"}, DocID: id})
}

// deadLetters lists the webhook deliveries that ran out of attempts, for admins to send again.
func (u *UI) deadLetters(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "dead", page{Title: "Sự kiện chưa gửi được", Active: "dead", Nav: true,
		Scripts: []string{"dead.js"}})
}

func (u *UI) static(w http.ResponseWriter, r *http.Request) {
	a, ok := u.assets[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	if r.URL.Query().Get("v") == a.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+a.version+`"`)
	if r.Header.Get("If-None-Match") == `"`+a.version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(a.data)
}

func (u *UI) notFound(w http.ResponseWriter, r *http.Request) {
	// API clients that mistype a path get JSON, as from the rest of /v1.
	if strings.HasPrefix(r.URL.Path, "/v1/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error":"no such endpoint: see /v1/openapi.json"}`+"\n")
		return
	}
	a, signedIn := u.session(r)
	r = r.WithContext(context.WithValue(r.Context(), accessKey{}, a))
	u.render(w, r, http.StatusNotFound, "error", page{Title: "Không tìm thấy trang", Nav: signedIn,
		Error: "Trang bạn tìm không tồn tại."})
}
