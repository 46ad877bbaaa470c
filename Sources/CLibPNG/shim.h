// libpng (Debian: libpng-dev), for the image decoders of TFLiteImageIO on Linux.
#include <png.h>
