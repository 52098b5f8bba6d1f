package storecore

// MaxDownloadIDLen caps a download ID, in bytes.
const MaxDownloadIDLen = 255

// ValidateDownloadID reports whether id can name a journal: non-empty and at
// most MaxDownloadIDLen bytes. Errors wrap ErrInvalid.
func ValidateDownloadID(id string) error {
	if id == "" || len(id) > MaxDownloadIDLen {
		return invalidf("download ID must be 1 to %d bytes, got %d", MaxDownloadIDLen, len(id))
	}
	return nil
}
