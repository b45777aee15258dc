package mrz

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The zone of shared/spec/domain.md §2.2.
var specimen = [3]string{
	"IDVNM0930470641001093047064<<2",
	"9301054M3301052VNM<<<<<<<<<<<8",
	"UNG<<HOANG<HIEP<<<<<<<<<<<<<<<",
}

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    string
		want byte
	}{
		{"093047064", '1'}, {"930105", '4'}, {"330105", '2'},
		{"L898902C3", '6'}, // ICAO 9303 part 3's own example
		{"", '0'},
	} {
		if got := Check(tc.s); got != tc.want {
			t.Errorf("Check(%q) = %c, want %c", tc.s, got, tc.want)
		}
	}
}

func TestRepair(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		read   [3]string
		want   [3]string
		wantOK bool
	}{
		{"as printed", specimen, specimen, true},
		{
			"letters for digits, digits for letters, the I of ID as T, noise",
			[3]string{"s TDVNM O93O47064IOO1O93O47064<<2 ộ", "93O1O54M33O1O52VNM<<<<<<<<<<<8", "UNG<<H0ANG<HIEP<<<<<<<<<<<<<<<"},
			specimen, true,
		},
		{
			"fillers miscounted, a speck before line 1",
			[3]string{"TIDVNM0930470641001093047064<<<2", "9301054M3301052VNM<<<<<<<<<8", "UNG<<HOANG<HIEP<<<<<<"},
			specimen, true,
		},
		{
			"a 0 read as 8, put back by the birth date's check digit",
			[3]string{specimen[0], "9381054M3301052VNM<<<<<<<<<<<8", specimen[2]},
			specimen, true,
		},
		{
			"the ID number's tail read wrong, taken from the checked document number",
			[3]string{"IDVNM0930470641001093847064<<2", specimen[1], specimen[2]},
			specimen, true,
		},
		{
			"a CCCD number starts with 0",
			[3]string{"IDVNM0930470641801093047064<<2", specimen[1], specimen[2]},
			specimen, true,
		},
		{
			"too damaged to check: cleaned, not guessed",
			[3]string{"IDVNM0938478641001093847864<<2", specimen[1], specimen[2]},
			[3]string{"IDVNM0938478641001093847864<<2", specimen[1], specimen[2]},
			false,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Repair(tc.read)
			if diff := cmp.Diff(tc.want, got); diff != "" || ok != tc.wantOK {
				t.Errorf("ok = %v, want %v; lines (-want +got):\n%s", ok, tc.wantOK, diff)
			}
		})
	}
}
