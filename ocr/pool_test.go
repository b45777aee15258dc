package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
	"golang.org/x/sync/errgroup"
)

// sharedPool is one pool of two clients for the tests that only need recognition, so the
// test run pays the Init cost once.
var (
	sharedOnce sync.Once
	sharedVal  *Pool
	sharedErr  error
)

func testPool(t *testing.T) *Pool {
	t.Helper()
	sharedOnce.Do(func() { sharedVal, sharedErr = NewPool(Config{Workers: 2}) })
	if sharedErr != nil {
		t.Fatalf("NewPool: %v", sharedErr)
	}
	return sharedVal
}

func TestRecognizeTesseractSamples(t *testing.T) {
	t.Parallel()
	p := testPool(t)
	ctx := context.Background()

	t.Run("viet.tif", func(t *testing.T) {
		t.Parallel()
		res, err := p.Recognize(ctx, loadGray(t, dataPath("viet.tif")), 300)
		if err != nil {
			t.Fatal(err)
		}
		want := record.NFC(strings.TrimSpace(readText(t, dataPath("viet.tif.gt.txt"))))
		if !strings.Contains(res.Text, want) {
			t.Errorf("text %q does not contain %q", res.Text, want)
		}
	})
	t.Run("phototest.tif", func(t *testing.T) {
		t.Parallel()
		res, err := p.Recognize(ctx, loadGray(t, dataPath("phototest.tif")), 300)
		if err != nil {
			t.Fatal(err)
		}
		want := readText(t, dataPath("phototest.txt"))
		if c := cer(want, res.Text); c >= 0.05 {
			t.Errorf("CER = %.3f, want < 0.05\ngot:\n%s", c, res.Text)
		}
		if res.MeanConfidence < 80 {
			t.Errorf("mean confidence %.1f, want ≥ 80", res.MeanConfidence)
		}
		// Words and text agree: the text is the words, in line order.
		var lines []string
		for _, w := range res.Words {
			if w.Line == len(lines) {
				lines = append(lines, w.Text)
				continue
			}
			lines[w.Line] += " " + w.Text
		}
		if diff := cmp.Diff(res.Text, strings.Join(lines, "\n")); diff != "" {
			t.Errorf("text differs from words (-text +words):\n%s", diff)
		}
	})
}

// TestRecognizeRenderedVietnamese checks that a line drawn by us comes back with every
// diacritic, in NFC.
func TestRecognizeRenderedVietnamese(t *testing.T) {
	t.Parallel()
	p := testPool(t)
	cases := []struct {
		name, text string
		size       float64
	}{
		{"title and subject", "QUYẾT ĐỊNH Về việc số hóa hồ sơ", 14},
		{"title", "QUYẾT ĐỊNH", 14},
		{"subject", "Về việc số hóa hồ sơ", 14},
		{"motto", "Độc lập - Tự do - Hạnh phúc", 13},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g := render(t, 500, 60, 300, []textLine{{text: c.text, x: 20, y: 40, size: c.size}})
			res, err := p.Recognize(context.Background(), g, 300)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(record.NFC(c.text), res.Text); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRecognizeHeaderReadingOrder renders a Decree 30 header and signature area and checks
// that each left column comes out before its right column.
func TestRecognizeHeaderReadingOrder(t *testing.T) {
	t.Parallel()
	p := testPool(t)
	g := render(t, 595, 420, 300, decree30Page())
	res, err := p.Recognize(context.Background(), g, 300)
	if err != nil {
		t.Fatal(err)
	}
	order := []string{
		"BỘ NỘI VỤ", "CỤC VĂN THƯ", "Số: 15/QĐ-BNV",
		"CỘNG HÒA XÃ HỘI", "Độc lập", "Hà Nội, ngày",
		"QUYẾT ĐỊNH", "Nơi nhận:", "Lưu: VT", "CỤC TRƯỞNG", "Nguyễn Văn A",
	}
	at := 0
	for _, s := range order {
		i := strings.Index(res.Text[at:], s)
		if i < 0 {
			t.Fatalf("%q missing or out of order after byte %d in:\n%s", s, at, res.Text)
		}
		at += i + len(s)
	}
}

// decree30Page is a half-A4 page with the two-column header and signature area of
// Decree 30 (Phụ lục I): left column at 60 pt, right column at 280 pt.
func decree30Page() []textLine {
	return []textLine{
		{text: "BỘ NỘI VỤ", x: 95, y: 50, size: 12},
		{text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: 290, y: 50, size: 12},
		{text: "CỤC VĂN THƯ VÀ LƯU TRỮ", x: 60, y: 66, size: 12},
		{text: "Độc lập - Tự do - Hạnh phúc", x: 340, y: 66, size: 13},
		{text: "Số: 15/QĐ-BNV", x: 90, y: 96, size: 13},
		{text: "Hà Nội, ngày 05 tháng 01 năm 2020", x: 310, y: 96, size: 13},
		{text: "QUYẾT ĐỊNH", x: 255, y: 140, size: 14},
		{text: "Về việc số hóa hồ sơ lưu trữ của cơ quan nhà nước", x: 150, y: 160, size: 13},
		{text: "Điều 1. Phê duyệt kế hoạch số hóa hồ sơ của Cục trong năm 2020.", x: 60, y: 200, size: 13},
		{text: "Nơi nhận:", x: 60, y: 280, size: 12},
		{text: "KT. CỤC TRƯỞNG", x: 380, y: 280, size: 13},
		{text: "- Như Điều 1;", x: 60, y: 296, size: 11},
		{text: "PHÓ CỤC TRƯỞNG", x: 378, y: 296, size: 13},
		{text: "- Lưu: VT, VP.", x: 60, y: 312, size: 11},
		{text: "Nguyễn Văn A", x: 392, y: 380, size: 13},
	}
}

// TestRecognizeConcurrent sends N goroutines × M pages through a pool of two and expects
// exactly the text a serial run gives.
func TestRecognizeConcurrent(t *testing.T) {
	t.Parallel()
	p := testPool(t)
	ctx := context.Background()
	pages := []*image.Gray{
		loadGray(t, dataPath("phototest.tif")),
		loadGray(t, dataPath("viet.tif")),
		render(t, 400, 60, 300, []textLine{{text: "Về việc số hóa hồ sơ", x: 20, y: 40, size: 14}}),
	}
	want := make([]string, len(pages))
	for i, g := range pages {
		res, err := p.Recognize(ctx, g, 300)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = res.Text
	}
	const goroutines = 4
	got := make([][]string, goroutines)
	var eg errgroup.Group
	for n := range goroutines {
		got[n] = make([]string, len(pages))
		eg.Go(func() error {
			for i := range pages {
				// Start at a different page in each goroutine so different images run
				// side by side.
				k := (i + n) % len(pages)
				res, err := p.Recognize(ctx, pages[k], 300)
				if err != nil {
					return fmt.Errorf("goroutine %d page %d: %w", n, k, err)
				}
				got[n][k] = res.Text
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		t.Fatal(err)
	}
	for n := range goroutines {
		if diff := cmp.Diff(want, got[n]); diff != "" {
			t.Errorf("goroutine %d (-serial +concurrent):\n%s", n, diff)
		}
	}
}

func TestOrientation(t *testing.T) {
	t.Parallel()
	p := testPool(t)
	cases := []struct {
		file string
		want int
	}{
		// orientation.csv gives the clockwise turn of the content; the turn that makes
		// the page upright is its opposite.
		{"phototest.tif", 0},
		{"phototest-rotated-R.png", 270},
		{"phototest-rotated-180.png", 180},
		{"phototest-rotated-L.png", 90},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			rot, conf, err := p.Orientation(context.Background(), loadGray(t, dataPath(c.file)))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("rotation %d, confidence %.2f", rot, conf)
			if rot != c.want {
				t.Errorf("rotation = %d, want %d", rot, c.want)
			}
			// A glance at fewer letters is as sure of these clear pages.
			rot, sure, err := p.Glance(context.Background(), loadGray(t, dataPath(c.file)))
			if err != nil {
				t.Fatal(err)
			}
			if rot != c.want || !sure {
				t.Errorf("Glance = %d (sure %v), want %d, sure", rot, sure, c.want)
			}
		})
	}
	t.Run("blank", func(t *testing.T) {
		t.Parallel()
		g := render(t, 200, 200, 150, nil)
		rot, conf, err := p.Orientation(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		if rot != 0 || conf > 1 {
			t.Errorf("blank page: rotation %d confidence %.2f, want 0 with no confidence", rot, conf)
		}
	})
}

// TestOrientationA4 turns a full A4 page at 300 dpi, where OSD sees only the page's densest
// band, each quarter turn and expects the turn that undoes it.
func TestOrientationA4(t *testing.T) {
	t.Parallel()
	p := testPool(t)
	page := render(t, 595, 842, 300, a4Page(t))
	for turn := 0; turn < 360; turn += 90 {
		t.Run(fmt.Sprint(turn), func(t *testing.T) {
			t.Parallel()
			rot, conf, err := p.Orientation(context.Background(), turnClockwise(page, turn))
			if err != nil {
				t.Fatal(err)
			}
			if want := (360 - turn) % 360; rot != want || conf < 5 {
				t.Errorf("page turned %d°: rotation %d with confidence %.2f, want %d with 5 or more", turn, rot, conf, want)
			}
		})
	}
}

// turnClockwise returns g turned clockwise by deg, a multiple of 90.
func turnClockwise(g *image.Gray, deg int) *image.Gray {
	for ; deg > 0; deg -= 90 {
		w, h := g.Rect.Dx(), g.Rect.Dy()
		out := image.NewGray(image.Rect(0, 0, h, w))
		for y := range h {
			for x := range w {
				out.Pix[x*out.Stride+h-1-y] = g.Pix[g.PixOffset(g.Rect.Min.X+x, g.Rect.Min.Y+y)]
			}
		}
		g = out
	}
	return g
}

func TestOSDBand(t *testing.T) {
	t.Parallel()
	// A page whose only text is a paragraph in its lower half: the band must hold it.
	var lines []textLine
	for i := range 8 {
		lines = append(lines, textLine{text: "Căn cứ Nghị định số 30/2020/NĐ-CP về công tác văn thư", x: 60, y: 600 + float64(i)*18, size: 12})
	}
	g := render(t, 595, 842, 150, lines)
	band := osdBand(g)
	if got, want := band.Rect.Dy(), g.Rect.Dy()/osdShare; got != want {
		t.Fatalf("band height %d, want %d", got, want)
	}
	// From the cap height of the first line to the baseline of the last, in pixels.
	top, bottom := (600.0-8)*150/72, (600.0+7*18)*150/72
	if float64(band.Rect.Min.Y) > top || float64(band.Rect.Max.Y) < bottom {
		t.Errorf("band %v does not hold the text between rows %.0f and %.0f", band.Rect, top, bottom)
	}
	small := render(t, 200, 100, 150, lines[:1])
	if b := osdBand(small); b.Rect != small.Rect {
		t.Errorf("image of %v cut to %v, want it whole", small.Rect, b.Rect)
	}
}

func TestRecognizeRejects(t *testing.T) {
	t.Parallel()
	p := testPool(t)
	cases := []struct {
		name string
		img  *image.Gray
		dpi  int
		want error
	}{
		{"nil", nil, 300, ErrImage},
		{"empty", image.NewGray(image.Rect(0, 0, 0, 0)), 300, ErrImage},
		{"too wide", &image.Gray{Rect: image.Rect(0, 0, 40000, 1), Stride: 40000}, 300, ErrImage},
		{"bad dpi", image.NewGray(image.Rect(0, 0, 10, 10)), 5000, ErrImage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if _, err := p.Recognize(context.Background(), c.img, c.dpi); !errors.Is(err, c.want) {
				t.Errorf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestRecognizeBlankPage(t *testing.T) {
	t.Parallel()
	res, err := testPool(t).Recognize(context.Background(), render(t, 100, 100, 300, nil), 300)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Result{}, res); diff != "" {
		t.Errorf("blank page (-want +got):\n%s", diff)
	}
}

// TestPoolLifecycle uses its own pool: it closes it.
func TestPoolLifecycle(t *testing.T) {
	t.Parallel()
	p, err := NewPool(Config{Workers: 1, RecycleAfter: 2})
	if err != nil {
		t.Fatal(err)
	}
	g := render(t, 300, 60, 300, []textLine{{text: "hồ sơ", x: 20, y: 40, size: 14}})
	ctx := context.Background()
	// Five pages with a recycle every two: clients are replaced twice along the way.
	for i := range 5 {
		res, err := p.Recognize(ctx, g, 300)
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		if res.Text != "hồ sơ" {
			t.Errorf("page %d: text %q, want %q", i, res.Text, "hồ sơ")
		}
	}

	// The only client is borrowed by nobody, so a cancelled context must still win.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Recognize(cancelled, g, 300); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want context.Canceled", err)
	}

	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := p.Recognize(ctx, g, 300); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: err = %v, want ErrClosed", err)
	}
	if _, _, err := p.Orientation(ctx, g); !errors.Is(err, ErrClosed) {
		t.Errorf("Orientation after Close: err = %v, want ErrClosed", err)
	}
}

// TestPoolCloseWhileLoading closes a pool whose other clients are still loading in the
// background: Close must wait for them and free them, not hang or leave them running.
func TestPoolCloseWhileLoading(t *testing.T) {
	t.Parallel()
	p, err := NewPool(Config{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- p.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Close did not return while clients were loading")
	}
	g := render(t, 300, 60, 300, []textLine{{text: "hồ sơ", x: 20, y: 40, size: 14}})
	if _, err := p.Recognize(context.Background(), g, 300); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: err = %v, want ErrClosed", err)
	}
}

func TestNewPoolMissingLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		cfg      Config
		wantHint bool // the error names the Debian package to install
	}{
		{"unknown language", Config{Workers: 1, Language: "xyz"}, true},
		{"empty dir", Config{Workers: 1, TessdataDir: t.TempDir()}, true},
		{"path in language", Config{Workers: 1, Language: "../vie"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewPool(c.cfg)
			if !errors.Is(err, ErrLanguageData) {
				t.Fatalf("err = %v, want ErrLanguageData", err)
			}
			if c.wantHint && !strings.Contains(err.Error(), "tesseract-ocr-vie") {
				t.Errorf("error %q does not name the package to install", err)
			}
		})
	}
}

// TestRecognizeNumberedList renders a numbered list like that of a residence confirmation:
// Tesseract's page layout takes the column of item numbers for a line of vertical text and
// reads it sideways, so every item loses its number unless the column is read again.
func TestRecognizeNumberedList(t *testing.T) {
	t.Parallel()
	p := testPool(t)
	items := []string{
		"Họ, chữ đệm và tên: HÀ TIẾN LỢI",
		"Ngày, tháng, năm sinh: 27/02/1974",
		"Giới tính: Nam",
		"Số định danh cá nhân: 087074308915",
		"Nơi thường trú: Khu phố Thượng, phường Thạch Bàn, huyện Tiền Hải",
		"Nơi ở hiện tại: Khu phố Thượng, phường Thạch Bàn, huyện Tiền Hải",
		"Họ, chữ đệm và tên chủ hộ: ĐẶNG ĐỨC QUÂN",
		"Quan hệ với chủ hộ: Vợ",
		"Số định danh cá nhân của chủ hộ: 011045394502",
	}
	lines := []textLine{
		{text: "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ", x: 180, y: 60, size: 14},
		{text: "Công an xã Tân Phong xác nhận thông tin về cư trú của công dân như sau:", x: 90, y: 100, size: 13},
	}
	for i, it := range items {
		lines = append(lines, textLine{text: fmt.Sprintf("%d. %s", i+1, it), x: 80, y: 130 + 21*float64(i), size: 13})
	}
	g := render(t, 595, 360, 300, lines)
	res, err := p.Recognize(context.Background(), g, 300)
	if err != nil {
		t.Fatal(err)
	}
	for i := range items {
		if !strings.Contains(res.Text, fmt.Sprintf("\n%d. ", i+1)) {
			t.Errorf("item %d lost its number:\n%s", i+1, res.Text)
			break
		}
	}
}

// TestPoolLoaded checks that Loaded reports a client Tesseract could not create (an
// unknown variable fails the warm-up's recognition) and that a Recognize meanwhile
// reports it too, while a good pool loads without error.
func TestPoolLoaded(t *testing.T) {
	t.Parallel()
	bad, err := NewPool(Config{Workers: 1, vars: map[string]string{"no_such_tesseract_variable": "1"}})
	if err != nil {
		t.Fatalf("NewPool returned %v before loading", err)
	}
	defer bad.Close()
	if err := bad.Loaded(t.Context()); err == nil || !strings.Contains(err.Error(), "creating ocr client 1 of 1") {
		t.Errorf("Loaded = %v, want the client's error", err)
	}
	g := render(t, 300, 60, 300, []textLine{{text: "hồ sơ", x: 20, y: 40, size: 14}})
	if _, err := bad.Recognize(t.Context(), g, 300); err == nil {
		t.Error("Recognize on a pool whose client cannot load: no error")
	}
	if err := testPool(t).Loaded(t.Context()); err != nil {
		t.Errorf("Loaded on a good pool = %v", err)
	}
}
