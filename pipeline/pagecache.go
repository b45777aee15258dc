package pipeline

import (
	"container/list"
	"image"
	"sync"
	"time"

	"github.com/sohoa/sohoa/store"
)

// PageCache hands prepared pages from the prepare task to the OCR task when both run in the
// same process, so that the OCR task need not read the page image back from the blob store
// and decode it. It is only a shortcut: the page is stored as a blob all the same, and the
// OCR task falls back to it on a miss (after a restart, on another host, or once the page
// was evicted).
//
// It holds at most maxBytes of pixels. When it is full a new page is not kept, rather than
// an older one dropped: OCR tasks leave their queue oldest first, so during a large batch,
// while prepare runs ahead of OCR, the oldest pages are the next ones read. Pages held for
// longer than maxAge are dropped to make room, since their OCR task most likely ran on
// another host or in an earlier process and will never take them. A nil *PageCache holds
// nothing.
type PageCache struct {
	mu       sync.Mutex
	maxBytes int
	maxAge   time.Duration
	now      func() time.Time
	bytes    int
	order    *list.List // of *cachedPage, oldest first
	byKey    map[pageKey]*list.Element
}

type pageKey struct {
	doc  string
	page int
}

type cachedPage struct {
	key pageKey
	ref store.Ref // the blob the page was stored as
	img *image.Gray
	put time.Time
}

// NewPageCache returns a cache of at most maxBytes of page pixels, each held at most maxAge
// when room is needed.
func NewPageCache(maxBytes int, maxAge time.Duration) *PageCache {
	return &PageCache{maxBytes: maxBytes, maxAge: maxAge, now: time.Now, order: list.New(), byKey: map[pageKey]*list.Element{}}
}

// Put keeps img, page of doc stored as the blob ref, until it is taken or dropped; it is not
// kept when there is no room.
func (c *PageCache) Put(doc string, page int, ref store.Ref, img *image.Gray) {
	if c == nil {
		return
	}
	n := len(img.Pix)
	c.mu.Lock()
	defer c.mu.Unlock()
	k := pageKey{doc, page}
	if e, ok := c.byKey[k]; ok {
		c.remove(e)
	}
	now := c.now()
	for c.bytes+n > c.maxBytes && c.order.Len() > 0 && now.Sub(c.order.Front().Value.(*cachedPage).put) > c.maxAge {
		c.remove(c.order.Front())
	}
	if c.bytes+n > c.maxBytes {
		return
	}
	c.byKey[k] = c.order.PushBack(&cachedPage{key: k, ref: ref, img: atOrigin(img), put: now})
	c.bytes += n
}

// Take returns and forgets page of doc if it is held and was stored as ref, else nil. The
// ref check keeps a page prepared again since (with other settings, or another file) from
// being read as the one the store now names.
func (c *PageCache) Take(doc string, page int, ref store.Ref) *image.Gray {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[pageKey{doc, page}]
	if !ok {
		return nil
	}
	c.remove(e)
	if p := e.Value.(*cachedPage); p.ref == ref {
		return p.img
	}
	return nil
}

// Len returns the number of pages held.
func (c *PageCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

func (c *PageCache) remove(e *list.Element) {
	p := c.order.Remove(e).(*cachedPage)
	delete(c.byKey, p.key)
	c.bytes -= len(p.img.Pix)
}

// atOrigin is g with its top-left corner at (0, 0), sharing its pixels: the page as
// decodePage reads it back from the blob, so the OCR engine gets the same coordinates
// whichever way the page came.
func atOrigin(g *image.Gray) *image.Gray {
	if g.Rect.Min == (image.Point{}) {
		return g
	}
	return &image.Gray{Pix: g.Pix, Stride: g.Stride, Rect: image.Rectangle{Max: g.Rect.Size()}}
}
