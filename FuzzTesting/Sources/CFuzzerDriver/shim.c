// The declaration in include/CFuzzerDriver.h is resolved by libFuzzer (-sanitize=fuzzer).
