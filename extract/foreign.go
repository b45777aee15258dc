package extract

import (
	"strings"

	"github.com/sohoa/sohoa/record"
)

// foreignNameFields are a company's names in a foreign language: the Law on Enterprises
// (2020, art. 39) has them translated into a language written in Latin letters, the proper
// name kept without Vietnamese marks ("HUNG THINH TRANSPORT COMPANY LIMITED", "HUNG THINH
// CORP").
var foreignNameFields = map[string]bool{"company_name_foreign": true, "company_name_short": true}

// legalFormWords are the English words of the legal forms such names end with.
var legalFormWords = []string{"COMPANY", "LIMITED", "CORPORATION", "CORP", "JOINT", "STOCK", "GROUP", "HOLDINGS", "PARTNERSHIP", "BRANCH", "LTD", "JSC", "CO"}

// minFormWordSnap is how long a word must be to be corrected to a legal-form word one letter
// away ("LIMTTED"): shorter words are too near one another.
const minFormWordSnap = 6

// foreignName returns the foreign-language company name v with the Vietnamese marks OCR read
// into it dropped and its legal-form words misread by one letter restored, and whether it
// changed. Only a name that holds a legal-form word is touched: without one, it may not be a
// foreign name at all.
func foreignName(v string) (string, bool) {
	if strings.ToUpper(v) != v {
		return v, false // not in capitals: folding would lose the case printed
	}
	words := strings.Fields(v)
	found := false
	for i, w := range words {
		core := strings.Trim(w, ".,")
		for _, f := range legalFormWords {
			if core == f {
				found = true
			} else if len(core) >= minFormWordSnap && len(f) >= minFormWordSnap && editDistance(core, f) == 1 {
				words[i], found = strings.Replace(w, core, f, 1), true
			}
		}
	}
	if !found {
		return v, false
	}
	out := strings.ToUpper(record.Fold(strings.Join(words, " ")))
	return out, out != v
}
