package site

import (
	"time"

	"github.com/consentgate/consentgate/consent"
)

// article is one news item or appeal.
type article struct {
	Slug      string
	Published time.Time
	Title     consent.Text
	Summary   consent.Text
	Body      []consent.Text
	// YouTubeID, when set, embeds the appeal video. YouTube sets marketing
	// cookies, so the player is marked data-consent="marketing" and the
	// article links to the video as well, for visitors who refuse.
	YouTubeID string
}

// articles are newest first.
var articles = []article{
	{
		Slug:      "cctv-appeal-harbour-street",
		Published: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC),
		Title: consent.Text{
			EN: "CCTV appeal after assault on Harbour Street, Porthaven",
			CY: "Apêl CCTV ar ôl ymosodiad ar Stryd yr Harbwr, Porthaven",
		},
		Summary: consent.Text{
			EN: "Officers want to speak to two men seen near the Anchor taxi rank shortly before midnight on Saturday 22 November.",
			CY: "Mae swyddogion am siarad â dau ddyn a welwyd ger safle tacsis yr Angor ychydig cyn hanner nos ddydd Sadwrn 22 Tachwedd.",
		},
		Body: []consent.Text{
			{
				EN: "A 34-year-old man was taken to Westshire General Hospital with facial injuries after he was assaulted on Harbour Street at about 11:50pm on Saturday 22 November. He has since been discharged.",
				CY: "Aed â dyn 34 oed i Ysbyty Cyffredinol Westshire ag anafiadau i’w wyneb ar ôl iddo gael ei ymosod arno ar Stryd yr Harbwr tua 11:50pm ddydd Sadwrn 22 Tachwedd. Mae wedi cael ei ryddhau ers hynny.",
			},
			{
				EN: "Detective Constable Aled Morgan said: “We believe the two men in this footage may have information that could help our investigation. If you recognise them, or you were on Harbour Street that night and saw what happened, please get in touch.”",
				CY: "Dywedodd y Ditectif Gwnstabl Aled Morgan: “Credwn y gallai fod gan y ddau ddyn yn y fideo hwn wybodaeth a allai helpu ein hymchwiliad. Os ydych yn eu hadnabod, neu os oeddech ar Stryd yr Harbwr y noson honno ac wedi gweld beth ddigwyddodd, cysylltwch â ni.”",
			},
			{
				EN: "Call 101 or report online quoting reference WS-20261122-0417. You can also contact Crimestoppers anonymously on 0800 555 111.",
				CY: "Ffoniwch 101 neu rhowch wybod ar-lein gan ddyfynnu’r cyfeirnod WS-20261122-0417. Gallwch hefyd gysylltu â Crimestoppers yn ddienw ar 0800 555 111.",
			},
		},
		YouTubeID: "Wsh7rbCCTV4",
	},
	{
		Slug:      "winter-burglary-advice",
		Published: time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC),
		Title: consent.Text{
			EN: "Darker evenings: how to keep your home safe this winter",
			CY: "Nosweithiau tywyllach: sut i gadw eich cartref yn ddiogel y gaeaf hwn",
		},
		Summary: consent.Text{
			EN: "Burglaries rise when the clocks go back. Our crime prevention team explains the simple steps that make the biggest difference.",
			CY: "Mae byrgleriaethau’n cynyddu pan fydd y clociau’n mynd yn ôl. Mae ein tîm atal troseddu yn esbonio’r camau syml sy’n gwneud y gwahaniaeth mwyaf.",
		},
		Body: []consent.Text{
			{
				EN: "Most burglaries happen when a home looks empty. Put lights and a radio on a timer, lock doors and windows even when you are in, and keep keys away from the letterbox.",
				CY: "Mae’r rhan fwyaf o fyrgleriaethau’n digwydd pan fydd cartref yn edrych yn wag. Rhowch oleuadau a radio ar amserydd, clowch ddrysau a ffenestri hyd yn oed pan fyddwch gartref, a chadwch allweddi i ffwrdd o’r blwch llythyrau.",
			},
			{
				EN: "Register valuable items for free with an online property register and mark them with a UV pen, so we can return them if they are stolen and recovered.",
				CY: "Cofrestrwch eitemau gwerthfawr am ddim gyda chofrestr eiddo ar-lein a’u marcio â phen UV, fel y gallwn eu dychwelyd os cânt eu dwyn a’u hadfer.",
			},
		},
	},
	{
		Slug:      "special-constables-recruitment",
		Published: time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC),
		Title: consent.Text{
			EN: "Become a special constable: applications open until 31 January",
			CY: "Dewch yn gwnstabl gwirfoddol: ceisiadau ar agor tan 31 Ionawr",
		},
		Summary: consent.Text{
			EN: "Volunteer at least 16 hours a month alongside regular officers in your own community. Full training is given.",
			CY: "Gwirfoddolwch o leiaf 16 awr y mis ochr yn ochr â swyddogion rheolaidd yn eich cymuned eich hun. Rhoddir hyfforddiant llawn.",
		},
		Body: []consent.Text{
			{
				EN: "Special constables have the same powers as regular officers and wear the same uniform. You need to be 18 or over and to have lived in the UK for the past three years.",
				CY: "Mae gan gwnstabliaid gwirfoddol yr un pwerau â swyddogion rheolaidd ac maen nhw’n gwisgo’r un wisg. Mae angen i chi fod yn 18 oed neu’n hŷn ac wedi byw yn y DU am y tair blynedd diwethaf.",
			},
			{
				EN: "Training takes place on weekday evenings and some weekends at our headquarters in Porthaven. Applications are made through our recruitment portal.",
				CY: "Cynhelir yr hyfforddiant ar nosweithiau yn ystod yr wythnos a rhai penwythnosau yn ein pencadlys ym Mhorthaven. Gwneir ceisiadau drwy ein porth recriwtio.",
			},
		},
	},
}

// findArticle returns the article with slug.
func findArticle(slug string) (article, bool) {
	for _, a := range articles {
		if a.Slug == slug {
			return a, true
		}
	}
	return article{}, false
}

var welshMonths = [...]string{"Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
	"Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"}

// formatDate writes a date the way each language's style guide does: "24 November 2026", "24 Tachwedd 2026".
func formatDate(lang consent.Lang, t time.Time) string {
	if lang == consent.Welsh {
		return t.Format("2") + " " + welshMonths[t.Month()-1] + " " + t.Format("2006")
	}
	return t.Format("2 January 2006")
}
