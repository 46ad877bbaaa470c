// libjpeg-turbo's libjpeg API (Debian: libjpeg62-turbo-dev), for the image decoders of
// TFLiteImageIO on Linux. jpeglib.h needs size_t and FILE declared first.
#include <stddef.h>
#include <stdio.h>
#include <jpeglib.h>
