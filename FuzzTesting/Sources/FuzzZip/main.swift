import FuzzSupport

FuzzDriver.run { data, count in fuzzZip(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
