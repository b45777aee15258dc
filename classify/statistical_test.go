package classify

import (
	"testing"

	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
)

// The trained type model names a type the rules cannot, raises a weak rule it agrees with,
// casts doubt on one it contradicts, and leaves a settled heading alone.
func TestStatisticalFallback(t *testing.T) {
	t.Parallel()
	tm, err := model.FitTypes([]model.TypeDoc{
		{Type: "don", Text: "Kính gửi: Ủy ban nhân dân xã Tôi tên là: Địa chỉ thường trú: Nay tôi làm đơn này đề nghị"},
		{Type: "don", Text: "Kính gửi: Công an huyện Tôi tên là: Địa chỉ thường trú: Nay tôi làm đơn này kính đề nghị"},
		{Type: "bien_ban", Text: "Hôm nay, vào hồi giờ, tại trụ sở, thành phần gồm có: cuộc họp kết thúc hồi"},
		{Type: "bien_ban", Text: "Hôm nay, vào hồi giờ, tại hội trường, thành phần gồm có: biên bản kết thúc hồi"},
	}, 0.1, 100)
	if err != nil {
		t.Fatal(err)
	}
	c := New(record.MustTaxonomy())
	c.types = func() *model.TypeModel { return tm }
	page := func(text string) []record.Page { return []record.Page{{Number: 1, Text: text}} }
	petition := page("Kính gửi: Ủy ban nhân dân phường\nTôi tên là: Lê Văn Bình\nĐịa chỉ thường trú: Hà Nội\nNay tôi làm đơn này đề nghị")
	for _, tc := range []struct {
		name string
		rule record.Classification
		want record.Classification
	}{
		{"no cue", record.Classification{Type: record.Unknown}, record.Classification{Type: "don", Confidence: statOnly}},
		{"weak rule agreed", record.Classification{Type: "don", Confidence: confVerbOnly}, record.Classification{Type: "don", Confidence: statAgree}},
		{"weak rule contradicted", record.Classification{Type: "cong_van", Confidence: confVerbOnly}, record.Classification{Type: "cong_van", Confidence: statDoubt}},
		{"settled heading", record.Classification{Type: "cong_van", Confidence: confAgree}, record.Classification{Type: "cong_van", Confidence: confAgree}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.statistical(petition, tc.rule); got != tc.want {
				t.Errorf("statistical(%+v) = %+v, want %+v", tc.rule, got, tc.want)
			}
		})
	}
	c.types = func() *model.TypeModel { return nil }
	if got := c.statistical(petition, record.Classification{Type: record.Unknown}); got.Type != record.Unknown {
		t.Errorf("without a type model: %+v, want the rules' Unknown", got)
	}
}
