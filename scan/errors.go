package scan

import (
	"errors"
	"fmt"
)

// Sentinels for bad input. Every rejection is an *InputError wrapping exactly one of them,
// so callers can classify it with errors.Is and show InputError.Detail to the person who
// uploaded the file.
var (
	ErrCorrupt      = errors.New("corrupt file")
	ErrEncrypted    = errors.New("encrypted file")
	ErrTooLarge     = errors.New("file too large")
	ErrTooManyPages = errors.New("too many pages")
	ErrUnsupported  = errors.New("unsupported file")
	ErrEmpty        = errors.New("empty file")
	ErrMislabelled  = errors.New("file content does not match its name")
)

// InputError is a file rejected because of its content. Err is one of the sentinels;
// Detail says what is wrong and what the uploader can do about it.
type InputError struct {
	Err    error
	Detail string
}

// Error returns the detail, which is written for the person who uploaded the file.
func (e *InputError) Error() string {
	if e.Detail == "" {
		return e.Err.Error()
	}
	return e.Detail
}

// Unwrap returns the sentinel.
func (e *InputError) Unwrap() error { return e.Err }

func inputErr(sentinel error, format string, args ...any) *InputError {
	return &InputError{Err: sentinel, Detail: fmt.Sprintf(format, args...)}
}

// onPage prefixes the detail of an *InputError with the page number, and leaves other
// errors (cancellation, callback errors) as they are.
func onPage(n int, err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		return &InputError{Err: ie.Err, Detail: fmt.Sprintf("page %d: %s", n, ie.Detail)}
	}
	return err
}
