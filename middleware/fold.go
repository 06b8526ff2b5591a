package middleware

// equalASCIIFold reports whether s equals lower, a lower-case ASCII word,
// ignoring ASCII case only. HTTP and cookie names are compared that way;
// strings.EqualFold also folds Unicode (the long s as s, the Kelvin sign as
// k), which would let a value mean one thing to the Gate and another to the
// browser or cache.
func equalASCIIFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
