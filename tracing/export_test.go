package tracing

// For the external tests (package tracing_test, which may import vectors).
var (
	Chromium      = chromium
	ScreenshotSVG = screenshotSVG
	FrameRect     = frameRect
	PixelIs       = pixelIs
	CallColour    = callColour
)
