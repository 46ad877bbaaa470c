import FuzzSupport

FuzzDriver.run { data, count in fuzzInterpreter(data.map(UnsafeRawPointer.init) ?? FuzzDriver.empty, count) }
