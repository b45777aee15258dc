// Package web is sohoa's clerk and upload UI: server-rendered Vietnamese pages (html/template)
// with small vanilla-JS scripts and a style sheet, all embedded in the binary. The pages hold
// no data of their own: the scripts call the JSON API under /v1 from the browser, which
// authenticates them with the sohoa_key cookie set by the login page.
//
// It must not import the database driver, the queue, the search client or the api and store
// packages: everything a page shows comes through the API, with the API's permissions,
// masking and audit log applied.
package web

import (
	"bytes"
	"crypto/sha256"
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

// cookieName is the session cookie the API reads the key from (see api/auth.go).
const cookieName = "sohoa_key"

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
	Active  string // nav entry: search, upload
	Nav     bool   // show the navigation (not on the login page)
	Scripts []string
	Client  clientData
	Types   []typeInfo
	Error   string
	// Page-specific values.
	Next    string
	DocID   string
	Dossier string
	Query   url.Values
}

// UI serves the pages and their static files.
type UI struct {
	pages  map[string]*template.Template
	assets map[string]asset
	client clientData
	mux    *http.ServeMux
}

// New returns the UI handler, mounted at "/" by the API server (api.Config.UI).
func New() http.Handler {
	u := &UI{assets: loadAssets()}
	tax := record.MustTaxonomy()
	u.client = clientData{Types: clientTypes(tax), Labels: labelMap()}
	u.pages = parsePages(u.assetURL)

	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", u.root)
	m.HandleFunc("GET /dang-nhap", u.loginForm)
	m.HandleFunc("POST /dang-nhap", u.login)
	m.HandleFunc("GET /dang-xuat", u.logout)
	m.HandleFunc("POST /dang-xuat", u.logout)
	m.HandleFunc("GET /tim-kiem", u.signedIn(u.search))
	m.HandleFunc("GET /tai-len", u.signedIn(u.upload))
	m.HandleFunc("GET /ho-so", u.signedIn(u.openDossier))
	m.HandleFunc("GET /ho-so/{code}", u.signedIn(u.dossier))
	m.HandleFunc("GET /van-ban/{id}", u.signedIn(u.document))
	m.HandleFunc("GET /static/{file}", u.static)
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
	for _, name := range []string{"login", "search", "upload", "dossier", "document", "error"} {
		t := template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/base.html", "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

// render writes a page; it renders into a buffer first so a template error becomes a clean 500.
func (u *UI) render(w http.ResponseWriter, code int, name string, p page) {
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

func hasKey(r *http.Request) bool {
	c, err := r.Cookie(cookieName)
	return err == nil && c.Value != ""
}

// signedIn sends a visitor without a key to the login page, remembering where they wanted to go.
func (u *UI) signedIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !hasKey(r) {
			http.Redirect(w, r, "/dang-nhap?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r)
	}
}

func (u *UI) root(w http.ResponseWriter, r *http.Request) {
	if !hasKey(r) {
		http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/tim-kiem", http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this site: a path, never "//host" or a URL.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) ||
		strings.ContainsAny(next, "\r\n") {
		return "/tim-kiem"
	}
	return next
}

func (u *UI) loginForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, http.StatusOK, "login", page{Title: "Đăng nhập", Next: safeNext(r.URL.Query().Get("next"))})
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

// login stores the key in the session cookie. The UI cannot check the key itself (only the
// API knows the keys), so a wrong key shows up as an error on the first API call.
func (u *UI) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		u.render(w, http.StatusForbidden, "login", page{Title: "Đăng nhập", Next: "/tim-kiem",
			Error: "Yêu cầu đăng nhập không đến từ trang này."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		u.render(w, http.StatusBadRequest, "login", page{Title: "Đăng nhập", Next: "/tim-kiem", Error: "Biểu mẫu không hợp lệ."})
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	key := strings.TrimSpace(r.PostForm.Get("key"))
	if !validKey(key) {
		u.render(w, http.StatusBadRequest, "login", page{Title: "Đăng nhập", Next: next,
			Error: "Vui lòng nhập khóa API hợp lệ (chữ, số và ký hiệu, không có dấu cách)."})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: key, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(r),
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// secure reports whether the browser reached us over HTTPS, directly or through a proxy that
// says so; the cookie is then marked Secure.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func (u *UI) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: secure(r),
	})
	http.Redirect(w, r, "/dang-nhap", http.StatusSeeOther)
}

func (u *UI) search(w http.ResponseWriter, r *http.Request) {
	u.render(w, http.StatusOK, "search", page{Title: "Tìm kiếm văn bản", Active: "search", Nav: true,
		Scripts: []string{"search.js"}, Query: r.URL.Query()})
}

func (u *UI) upload(w http.ResponseWriter, r *http.Request) {
	u.render(w, http.StatusOK, "upload", page{Title: "Tải lên hồ sơ", Active: "upload", Nav: true,
		Scripts: []string{"upload.js"}, Dossier: r.URL.Query().Get("ma")})
}

// openDossier answers the "Mở hồ sơ" form, which works without scripts.
func (u *UI) openDossier(w http.ResponseWriter, r *http.Request) {
	code, err := record.ParseDossierID(r.URL.Query().Get("ma"))
	if err != nil {
		u.render(w, http.StatusBadRequest, "error", page{Title: "Mã hồ sơ không hợp lệ", Nav: true,
			Error: "Mã hồ sơ không đúng dạng. Ví dụ: 000.00.15.H29-251201-0001."})
		return
	}
	http.Redirect(w, r, "/ho-so/"+url.PathEscape(code.String()), http.StatusSeeOther)
}

func (u *UI) dossier(w http.ResponseWriter, r *http.Request) {
	code, err := record.ParseDossierID(r.PathValue("code"))
	if err != nil {
		u.render(w, http.StatusBadRequest, "error", page{Title: "Mã hồ sơ không hợp lệ", Nav: true,
			Error: "Mã hồ sơ không đúng dạng. Ví dụ: 000.00.15.H29-251201-0001."})
		return
	}
	u.render(w, http.StatusOK, "dossier", page{Title: "Hồ sơ " + code.String(), Nav: true,
		Scripts: []string{"dossier.js"}, Dossier: code.String()})
}

func (u *UI) document(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !docIDPattern.MatchString(id) {
		u.notFound(w, r)
		return
	}
	u.render(w, http.StatusOK, "document", page{Title: "Duyệt văn bản", Nav: true,
		Scripts: []string{"review.js"}, DocID: id})
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
	u.render(w, http.StatusNotFound, "error", page{Title: "Không tìm thấy trang", Nav: hasKey(r),
		Error: "Trang bạn tìm không tồn tại."})
}
