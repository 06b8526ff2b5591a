package consent

// Category names a purpose that cookies and tags are grouped under. Visitors
// give or refuse consent per category; [Essential] is always allowed.
type Category string

// The built-in categories. A site may add its own in its [Policy].
const (
	// Essential cookies are strictly necessary (PECR reg. 6(4)) and cannot be refused:
	// the session, the CSRF token and the consent cookie itself.
	Essential Category = "essential"
	// Preferences cookies remember choices such as text size.
	Preferences Category = "preferences"
	// Analytics cookies measure how the site is used (Google Analytics).
	Analytics Category = "analytics"
	// Marketing cookies track visitors for advertising (Doubleclick, the Meta Pixel).
	Marketing Category = "marketing"
)

// CategoryInfo describes a category to visitors on the banner and cookies page.
type CategoryInfo struct {
	// ID is the category's identifier: lower-case letters, digits and '-'.
	ID Category
	// Title is a short heading, e.g. "Analytics cookies".
	Title Text
	// Description says what the category's cookies do and why a visitor might allow them.
	Description Text
}

// validCategoryID reports whether id is usable as a form field and data attribute.
func validCategoryID(id Category) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
