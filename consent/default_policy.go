package consent

import "time"

// Lifetimes used by the default catalogue. Vendors publish them in calendar
// units; these are the closest durations.
const (
	day   = 24 * time.Hour
	month = 30 * day
	year  = 365 * day
)

// BuiltInCategory returns the bilingual title and description the library
// ships for one of the four built-in categories ([Essential], [Preferences],
// [Analytics], [Marketing]). Sites that add a category the default policy
// leaves out, such as Preferences, start from it.
func BuiltInCategory(id Category) (CategoryInfo, bool) {
	switch id {
	case Essential:
		return CategoryInfo{
			ID:    Essential,
			Title: Text{EN: "Strictly necessary cookies", CY: "Cwcis hollol angenrheidiol"},
			Description: Text{
				EN: "These cookies make the website work, for example by keeping it secure and remembering your cookie choices. They are always on, because the website cannot work properly without them.",
				CY: "Mae’r cwcis hyn yn gwneud i’r wefan weithio, er enghraifft drwy ei chadw’n ddiogel a chofio eich dewisiadau cwcis. Maen nhw bob amser ymlaen, oherwydd ni all y wefan weithio’n iawn hebddyn nhw.",
			},
		}, true
	case Preferences:
		return CategoryInfo{
			ID:    Preferences,
			Title: Text{EN: "Cookies that remember your settings", CY: "Cwcis sy’n cofio’ch gosodiadau"},
			Description: Text{
				EN: "These cookies remember choices you make, such as the size of the text, so you do not have to make them again on every visit. They are only set if you say yes.",
				CY: "Mae’r cwcis hyn yn cofio dewisiadau rydych yn eu gwneud, fel maint y testun, fel nad oes rhaid i chi eu gwneud eto bob tro y byddwch yn ymweld. Dim ond os byddwch yn dweud ie y cânt eu gosod.",
			},
		}, true
	case Analytics:
		return CategoryInfo{
			ID:    Analytics,
			Title: Text{EN: "Cookies that measure website use", CY: "Cwcis sy’n mesur defnydd gwefan"},
			Description: Text{
				EN: "These cookies collect information about how you use the website, such as which pages you visit and how long you stay. We use it to make the website better. They are only set if you say yes.",
				CY: "Mae’r cwcis hyn yn casglu gwybodaeth am sut rydych yn defnyddio’r wefan, fel pa dudalennau rydych yn ymweld â nhw a pha mor hir rydych yn aros. Rydym yn ei defnyddio i wella’r wefan. Dim ond os byddwch yn dweud ie y cânt eu gosod.",
			},
		}, true
	case Marketing:
		return CategoryInfo{
			ID:    Marketing,
			Title: Text{EN: "Marketing cookies", CY: "Cwcis marchnata"},
			Description: Text{
				EN: "These cookies are set by advertising companies such as Google and Meta (Facebook), and by YouTube when you play an embedded video. They record that you came to this website after seeing one of our adverts, for example for a recruitment campaign, and may be used to show you our adverts on other websites. They are only set if you say yes.",
				CY: "Mae’r cwcis hyn yn cael eu gosod gan gwmnïau hysbysebu fel Google a Meta (Facebook), a chan YouTube pan fyddwch yn chwarae fideo sydd wedi’i fewnosod. Maen nhw’n cofnodi eich bod wedi dod i’r wefan hon ar ôl gweld un o’n hysbysebion, er enghraifft ar gyfer ymgyrch recriwtio, a gellir eu defnyddio i ddangos ein hysbysebion i chi ar wefannau eraill. Dim ond os byddwch yn dweud ie y cânt eu gosod.",
			},
		}, true
	}
	return CategoryInfo{}, false
}

// DefaultPolicy returns the catalogue of cookies UK police force websites
// commonly set, in English and Welsh, at revision 1. Each call returns a new
// copy, so a site may append its own entries or edit these freely.
//
// Sites will need to adjust it:
//   - The session and CSRF cookie names are framework defaults ("session",
//     Django's "csrftoken" as police.uk uses, "XSRF-TOKEN" as Angular and
//     Laravel use). Add an entry for whatever your own framework sets: the
//     middleware drops cookies the catalogue does not know.
//   - The consent cookie's expiry text assumes [DefaultMaxAge].
//   - Remove the entries for tags the site does not use, so the cookies page
//     lists only what a visitor can actually receive, and bump Revision when
//     you add a new purpose.
//
// The policy asks about analytics and marketing only. [Preferences] is left
// out because no cookie force sites commonly set belongs to it, and asking a
// visitor to consent to a category that sets nothing is noise; a site that
// adds such a cookie adds the category too, from [BuiltInCategory].
//
// Lifetimes are the vendors' documented defaults (Google's "Cookie usage on
// websites" pages for GA4, Universal Analytics and ga.js; Google's "How
// Google uses cookies"; Meta's cookie policy). Where a force's published
// notice gives another figure, the vendor's wins and the comment says so.
func DefaultPolicy() Policy {
	cats := make([]CategoryInfo, 0, 3)
	for _, id := range []Category{Essential, Analytics, Marketing} {
		info, _ := BuiltInCategory(id)
		cats = append(cats, info)
	}
	return Policy{
		Revision:   1,
		Categories: cats,
		Cookies:    defaultCookies(),
	}
}

// Providers of the default entries.
var (
	thisSite = Provider{Name: "This website", Label: Text{EN: "This website", CY: "Y wefan hon"}}
	// Oleeo (formerly WCN, hence "wcn_session") runs the tal.net recruitment portal.
	talNet          = Provider{Name: "Oleeo (tal.net recruitment)", ThirdParty: true, Domain: "tal.net"}
	googleAnalytics = Provider{Name: "Google Analytics", Advertising: true}
	googleAds       = Provider{Name: "Google Ads", Advertising: true}
	doubleclick     = Provider{Name: "Google (Doubleclick)", ThirdParty: true, Advertising: true, Domain: "doubleclick.net"}
	metaPixel       = Provider{Name: "Meta (Facebook)", Advertising: true}
	metaSite        = Provider{Name: "Meta (Facebook)", ThirdParty: true, Advertising: true, Domain: "facebook.com"}
	youTube         = Provider{Name: "YouTube (Google)", ThirdParty: true, Advertising: true, Domain: "youtube.com"}
)

func sessionOnly() Expiry {
	return Expiry{Session: true, Text: Text{EN: "When you close your browser", CY: "Pan fyddwch yn cau eich porwr"}}
}

func lasts(d time.Duration, en, cy string) Expiry {
	return Expiry{Duration: d, Text: Text{EN: en, CY: cy}}
}

func defaultCookies() []Cookie {
	twoYears := lasts(2*year, "2 years", "2 flynedd")
	ninetyDays := lasts(90*day, "90 days", "90 diwrnod")
	oneMinute := lasts(time.Minute, "1 minute", "1 munud")
	gatPurpose := Text{
		EN: "Limits how often your browser sends information to Google Analytics, so busy pages are not over-counted.",
		CY: "Yn cyfyngu ar ba mor aml mae eich porwr yn anfon gwybodaeth at Google Analytics, fel nad yw tudalennau prysur yn cael eu gor-gyfrif.",
	}
	formGuard := Text{
		EN: "Protects the forms on this website from being sent by another website pretending to be you.",
		CY: "Yn diogelu’r ffurflenni ar y wefan hon rhag cael eu hanfon gan wefan arall sy’n esgus bod yn chi.",
	}
	return []Cookie{
		// Strictly necessary: set by the site itself.
		{Name: "session", Category: Essential, Provider: thisSite, Expiry: sessionOnly(), Purpose: Text{
			EN: "Keeps track of your visit as you move between pages, for example so a form you are filling in is not lost. It holds a random value only.",
			CY: "Yn cadw golwg ar eich ymweliad wrth i chi symud rhwng tudalennau, er enghraifft fel nad yw ffurflen rydych yn ei llenwi yn mynd ar goll. Dim ond gwerth ar hap sydd ynddo.",
		}},
		// Django's default CSRF_COOKIE_AGE is 52 weeks.
		{Name: "csrftoken", Category: Essential, Provider: thisSite, Purpose: formGuard, Expiry: lasts(52*7*day, "1 year", "1 flwyddyn")},
		// Its lifetime depends on the framework; a site that knows better says so.
		{Name: "XSRF-TOKEN", Category: Essential, Provider: thisSite, Purpose: formGuard, Expiry: sessionOnly()},
		{Name: DefaultCookieName, Category: Essential, Provider: thisSite, Expiry: lasts(DefaultMaxAge, "1 year", "1 flwyddyn"), Purpose: Text{
			EN: "Remembers whether you accepted or rejected additional cookies, so we do not ask you again on every page.",
			CY: "Yn cofio a wnaethoch chi dderbyn neu wrthod cwcis ychwanegol, fel nad ydym yn gofyn i chi eto ar bob tudalen.",
		}},
		{Name: DefaultCookieName + "_csrf", Category: Essential, Provider: thisSite, Expiry: sessionOnly(), Purpose: Text{
			EN: "Makes sure that a change to your cookie settings really came from you, on this website.",
			CY: "Yn sicrhau mai chi, ar y wefan hon, a wnaeth y newid i’ch gosodiadau cwcis.",
		}},
		{Name: DefaultCookieName + "_flash", Category: Essential, Provider: thisSite, Expiry: lasts(5*time.Minute, "5 minutes", "5 munud"), Purpose: Text{
			EN: "Shows the message confirming your cookie choice on the next page you see, then is deleted.",
			CY: "Yn dangos y neges sy’n cadarnhau eich dewis cwcis ar y dudalen nesaf a welwch, ac yna’n cael ei ddileu.",
		}},

		// Strictly necessary, listed for information: set on *.tal.net by the
		// recruitment portal, so they never pass through the site's own responses.
		{Name: "wcn_session", Category: Essential, Provider: talNet, Expiry: sessionOnly(), Purpose: Text{
			EN: "Keeps you signed in to our online recruitment system (on tal.net) while you apply for a job. It holds a random value only.",
			CY: "Yn eich cadw wedi mewngofnodi i’n system recriwtio ar-lein (ar tal.net) tra byddwch yn gwneud cais am swydd. Dim ond gwerth ar hap sydd ynddo.",
		}},
		// "Crsf" is the portal's own spelling.
		{Name: "Crsf-token", Category: Essential, Provider: talNet, Expiry: sessionOnly(), Purpose: Text{
			EN: "Protects the forms on our online recruitment system (on tal.net) from being sent by another website.",
			CY: "Yn diogelu’r ffurflenni ar ein system recriwtio ar-lein (ar tal.net) rhag cael eu hanfon gan wefan arall.",
		}},
		{Name: "idservice_session", Category: Essential, Provider: talNet, Expiry: sessionOnly(), Purpose: Text{
			EN: "Lets you sign in to our online recruitment system with the tal.net single sign-on service (me.tal.net). Only set if you use it.",
			CY: "Yn gadael i chi fewngofnodi i’n system recriwtio ar-lein gyda gwasanaeth mewngofnodi sengl tal.net (me.tal.net). Dim ond os byddwch yn ei ddefnyddio y caiff ei osod.",
		}},

		// Analytics: Google Analytics 4 and Universal Analytics (gtag.js, analytics.js).
		{Name: "_ga", Category: Analytics, Provider: googleAnalytics, Expiry: twoYears, Purpose: Text{
			EN: "Gives your browser a random number so Google Analytics can tell new visitors from returning ones.",
			CY: "Yn rhoi rhif ar hap i’ch porwr fel y gall Google Analytics wahaniaethu rhwng ymwelwyr newydd ac ymwelwyr sy’n dychwelyd.",
		}},
		{Name: "_ga_*", Category: Analytics, Provider: googleAnalytics, Expiry: twoYears, Purpose: Text{
			EN: "Lets Google Analytics keep track of your current visit. The letters after _ga_ are our account number.",
			CY: "Yn gadael i Google Analytics gadw golwg ar eich ymweliad presennol. Rhif ein cyfrif yw’r llythrennau ar ôl _ga_.",
		}},
		{Name: "_gid", Category: Analytics, Provider: googleAnalytics, Expiry: lasts(day, "24 hours", "24 awr"), Purpose: Text{
			EN: "Gives your browser a random number so Google Analytics can count visits over a day.",
			CY: "Yn rhoi rhif ar hap i’ch porwr fel y gall Google Analytics gyfrif ymweliadau dros ddiwrnod.",
		}},
		// Google documents 1 minute; one force's notice says "ten minutes",
		// which is the lifetime of ga.js's __utmt.
		{Name: "_gat", Category: Analytics, Provider: googleAnalytics, Expiry: oneMinute, Purpose: gatPurpose},
		{Name: "_gat_*", Category: Analytics, Provider: googleAnalytics, Expiry: oneMinute, Purpose: gatPurpose},
		// What _gat is called when Google Analytics is loaded by Google Tag Manager.
		{Name: "_dc_gtm_*", Category: Analytics, Provider: googleAnalytics, Expiry: oneMinute, Purpose: gatPurpose},

		// Analytics: the older ga.js library, still found on some force pages.
		{Name: "__utma", Category: Analytics, Provider: googleAnalytics, Expiry: twoYears, Purpose: Text{
			EN: "Older Google Analytics: tells whether you have visited before, and when.",
			CY: "Hen fersiwn o Google Analytics: yn dangos a ydych wedi ymweld o’r blaen, a phryd.",
		}},
		{Name: "__utmb", Category: Analytics, Provider: googleAnalytics, Expiry: lasts(30*time.Minute, "30 minutes", "30 munud"), Purpose: Text{
			EN: "Older Google Analytics: works out when a visit starts and how long it lasts.",
			CY: "Hen fersiwn o Google Analytics: yn cyfrifo pryd mae ymweliad yn dechrau a pha mor hir mae’n para.",
		}},
		{Name: "__utmc", Category: Analytics, Provider: googleAnalytics, Expiry: sessionOnly(), Purpose: Text{
			EN: "Older Google Analytics: with __utmb, marks when a visit ends.",
			CY: "Hen fersiwn o Google Analytics: gyda __utmb, yn nodi pryd mae ymweliad yn dod i ben.",
		}},
		{Name: "__utmt", Category: Analytics, Provider: googleAnalytics, Expiry: lasts(10*time.Minute, "10 minutes", "10 munud"), Purpose: Text{
			EN: "Older Google Analytics: limits how often your browser sends information to Google Analytics.",
			CY: "Hen fersiwn o Google Analytics: yn cyfyngu ar ba mor aml mae eich porwr yn anfon gwybodaeth at Google Analytics.",
		}},
		{Name: "__utmv", Category: Analytics, Provider: googleAnalytics, Expiry: twoYears, Purpose: Text{
			EN: "Older Google Analytics: stores any extra groupings we set up to measure visits.",
			CY: "Hen fersiwn o Google Analytics: yn storio unrhyw grwpiau ychwanegol rydym wedi’u gosod i fesur ymweliadau.",
		}},
		{Name: "__utmz", Category: Analytics, Provider: googleAnalytics, Expiry: lasts(6*month, "6 months", "6 mis"), Purpose: Text{
			EN: "Older Google Analytics: records how you reached this website, for example from a search engine or a link on another website.",
			CY: "Hen fersiwn o Google Analytics: yn cofnodi sut y daethoch i’r wefan hon, er enghraifft o beiriant chwilio neu ddolen ar wefan arall.",
		}},

		// Marketing: Google Ads, Floodlight and Doubleclick.
		{Name: "_gcl_au", Category: Marketing, Provider: googleAds, Expiry: ninetyDays, Purpose: Text{
			EN: "Links your visit to this website with a Google advert you saw or clicked, so we can tell whether our advertising works.",
			CY: "Yn cysylltu eich ymweliad â’r wefan hon â hysbyseb Google y gwnaethoch ei gweld neu glicio arni, fel y gallwn weld a yw ein hysbysebu’n gweithio.",
		}},
		{Name: "_gcl_aw", Category: Marketing, Provider: googleAds, Expiry: ninetyDays, Purpose: Text{
			EN: "Records that you came to this website by clicking one of our Google adverts.",
			CY: "Yn cofnodi eich bod wedi dod i’r wefan hon drwy glicio ar un o’n hysbysebion Google.",
		}},
		{Name: "_gcl_dc", Category: Marketing, Provider: googleAds, Expiry: ninetyDays, Purpose: Text{
			EN: "Records that you came to this website from one of our adverts managed through Google’s Floodlight (Campaign Manager).",
			CY: "Yn cofnodi eich bod wedi dod i’r wefan hon o un o’n hysbysebion sy’n cael eu rheoli drwy Floodlight Google (Campaign Manager).",
		}},
		{Name: "_gac_*", Category: Marketing, Provider: googleAnalytics, Expiry: ninetyDays, Purpose: Text{
			EN: "Set by Google Analytics when it is linked to Google Ads, to hold details of the advertising campaign that brought you here.",
			CY: "Yn cael ei osod gan Google Analytics pan fydd wedi’i gysylltu â Google Ads, i gadw manylion yr ymgyrch hysbysebu a ddaeth â chi yma.",
		}},
		// Google gives 13 months in the UK, EEA and Switzerland, 24 elsewhere.
		{Name: "IDE", Category: Marketing, Provider: doubleclick, Expiry: lasts(13*month, "13 months", "13 mis"), Purpose: Text{
			EN: "Recognises your browser across websites so Google can measure adverts and choose which adverts to show you.",
			CY: "Yn adnabod eich porwr ar draws gwefannau fel y gall Google fesur hysbysebion a dewis pa hysbysebion i’w dangos i chi.",
		}},
		{Name: "test_cookie", Category: Marketing, Provider: doubleclick, Expiry: lasts(15*time.Minute, "15 minutes", "15 munud"), Purpose: Text{
			EN: "Checks whether your browser accepts cookies, before Google’s advertising cookies are set.",
			CY: "Yn gwirio a yw eich porwr yn derbyn cwcis, cyn i gwcis hysbysebu Google gael eu gosod.",
		}},
		{Name: "DSID", Category: Marketing, Provider: doubleclick, Expiry: lasts(14*day, "2 weeks", "2 wythnos"), Purpose: Text{
			EN: "Remembers your Google advertising settings on other websites when you are signed in to Google.",
			CY: "Yn cofio eich gosodiadau hysbysebu Google ar wefannau eraill pan fyddwch wedi mewngofnodi i Google.",
		}},

		// Marketing: the Meta (Facebook) Pixel.
		{Name: "_fbp", Category: Marketing, Provider: metaPixel, Expiry: ninetyDays, Purpose: Text{
			EN: "Recognises your browser so Meta can measure and target our adverts on Facebook and Instagram.",
			CY: "Yn adnabod eich porwr fel y gall Meta fesur a thargedu ein hysbysebion ar Facebook ac Instagram.",
		}},
		{Name: "_fbc", Category: Marketing, Provider: metaPixel, Expiry: ninetyDays, Purpose: Text{
			EN: "Records that you came to this website by clicking one of our adverts on Facebook or Instagram.",
			CY: "Yn cofnodi eich bod wedi dod i’r wefan hon drwy glicio ar un o’n hysbysebion ar Facebook neu Instagram.",
		}},
		{Name: "fr", Category: Marketing, Provider: metaSite, Expiry: ninetyDays, Purpose: Text{
			EN: "Lets Meta show, measure and improve adverts, including ours, to people who use Facebook.",
			CY: "Yn gadael i Meta ddangos, mesur a gwella hysbysebion, gan gynnwys ein rhai ni, i bobl sy’n defnyddio Facebook.",
		}},

		// Marketing: YouTube embeds (set by youtube.com; youtube-nocookie.com
		// embeds set them once the video is played). Google's "How Google uses
		// cookies" gives 6 months and the browser session.
		{Name: "VISITOR_INFO1_LIVE", Category: Marketing, Provider: youTube, Expiry: lasts(6*month, "6 months", "6 mis"), Purpose: Text{
			EN: "Recognises your browser when you play an embedded YouTube video, and remembers settings such as video quality.",
			CY: "Yn adnabod eich porwr pan fyddwch yn chwarae fideo YouTube sydd wedi’i fewnosod, ac yn cofio gosodiadau fel ansawdd y fideo.",
		}},
		{Name: "YSC", Category: Marketing, Provider: youTube, Expiry: sessionOnly(), Purpose: Text{
			EN: "Keeps track of the embedded YouTube videos you watch during a visit, and helps YouTube guard against misuse.",
			CY: "Yn cadw golwg ar y fideos YouTube wedi’u mewnosod rydych yn eu gwylio yn ystod ymweliad, ac yn helpu YouTube i ddiogelu rhag camddefnydd.",
		}},
	}
}
