import FuzzSupport

FuzzDriver.run { data, count in fuzzNumPy(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
