import ByteKit
