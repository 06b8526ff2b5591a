package browser

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// ScreenshotDir is where [Screenshot] writes, relative to the test's package
// directory. [Screenshot] puts a .gitignore of "*" in it, so whichever package
// takes screenshots, they never end up committed and tests never rewrite
// committed files.
const ScreenshotDir = "screenshots"

// Screenshot saves a full-page PNG of the tab as ScreenshotDir/name.png, at
// the viewport width the tab has (see [SetViewport]), and returns its path.
func Screenshot(tb testing.TB, ctx context.Context, name string) string {
	tb.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	return writeScreenshot(tb, name, buf)
}

func writeScreenshot(tb testing.TB, name string, png []byte) string {
	tb.Helper()
	if err := os.MkdirAll(ScreenshotDir, 0o755); err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(ScreenshotDir, ".gitignore"), []byte("*\n"), 0o644); err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(ScreenshotDir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	return path
}

// SetViewport emulates a screen width×height CSS pixels, e.g. 320 wide for the
// narrowest phone WCAG 1.4.10 reflow asks for.
func SetViewport(tb testing.TB, ctx context.Context, width, height int64) {
	tb.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		tb.Fatalf("set viewport %dx%d: %v", width, height, err)
	}
}

// ViewportScreenshot saves a PNG of what the visitor sees without scrolling
// as ScreenshotDir/name.png, and returns its path.
func ViewportScreenshot(tb testing.TB, ctx context.Context, name string) string {
	tb.Helper()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	return writeScreenshot(tb, name, buf)
}
