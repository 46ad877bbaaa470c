import CTFLiteKernels

/// Which rounding LiteRT's optimized kernels use for an int8 convolution-like operator, so that
/// outputs match the LiteRT users run (its builtin kernels, x86-64 and arm64 alike).
///
/// LiteRT requantizes with `MultiplyByQuantizedMultiplier` in two flavours. Its GEMM-based int8
/// kernels (CONV_2D through im2col and FULLY_CONNECTED, both on ruy) and its 3×3 depthwise
/// kernel (NEON, built for x86 through NEON_2_SSE) round halves up at both steps
/// (`TFL_ROUNDING_HALF_UP`), as does its 8-bit TRANSPOSE_CONV for whole blocks of 8 output
/// channels (`ConvOutputStage.halfUpChannels`); everything else (grouped CONV_2D, the general
/// depthwise kernel, TRANSPOSE_CONV's last channels, BATCH_MATMUL, uint8 models, and LiteRT's
/// reference kernels throughout) rounds as gemmlowp. The two differ on about 0.1–0.3 % of a real layer's outputs, by one step, and
/// the steps compound over a deep model (BERT-style int8 encoders ended 3–5 steps off).
enum ConvRounding {
    /// int8 CONV_2D: ruy's rounding unless the convolution is grouped (LiteRT runs grouped ones
    /// on its reference kernel).
    static func conv2D(mode: ConvMode, groups: Int) -> tfl_rounding {
        mode == .int8 && groups == 1 ? TFL_ROUNDING_HALF_UP : TFL_ROUNDING_GEMMLOWP
    }

    /// int8 FULLY_CONNECTED (per-channel and per-tensor weights): ruy's rounding.
    static func fullyConnected(mode: ConvMode) -> tfl_rounding {
        mode == .int8 ? TFL_ROUNDING_HALF_UP : TFL_ROUNDING_GEMMLOWP
    }

    /// int8 DEPTHWISE_CONV_2D: half up exactly where LiteRT takes its 3×3 kernel. The conditions
    /// are those LiteRT checks before choosing it (`Fast3x3FilterKernelSupported`): a 3×3 filter,
    /// depth multiplier 1, equal strides of 1 or 2, equal paddings of 0 or 1, no dilation, an
    /// input depth that is a multiple of 8, no left shift in any channel's multiplier, the last
    /// window inside the input (one pixel past it with padding 1), and not a 1×N or N×1 input.
    static func depthwise(mode: ConvMode, geometry g: ConvGeometry, depthMultiplier: Int,
                          multipliers: [FixedPoint.Multiplier]) -> tfl_rounding {
        guard mode == .int8 else { return TFL_ROUNDING_GEMMLOWP }
        let supported = g.filterHeight == 3 && g.filterWidth == 3 && depthMultiplier == 1
            && (g.strideWidth == 1 || g.strideWidth == 2) && g.strideWidth == g.strideHeight
            && (g.paddingWidth == 0 || g.paddingWidth == 1) && g.paddingWidth == g.paddingHeight
            && g.inputDepth % 8 == 0 && multipliers.allSatisfy({ $0.shift <= 0 })
            && g.dilationWidth == 1 && g.dilationHeight == 1
        guard supported, g.outputWidth > 0, g.outputHeight > 0 else { return TFL_ROUNDING_GEMMLOWP }
        let endX = (g.outputWidth - 1) * g.strideWidth - g.paddingWidth + 3
        let endY = (g.outputHeight - 1) * g.strideHeight - g.paddingHeight + 3
        let slack = g.paddingWidth == 0 ? 0 : 1
        guard endX <= g.inputWidth + slack, endY <= g.inputHeight + slack else { return TFL_ROUNDING_GEMMLOWP }
        if g.paddingWidth != 0, (g.inputWidth == 1 || g.inputHeight == 1), g.inputWidth != g.inputHeight {
            return TFL_ROUNDING_GEMMLOWP
        }
        return TFL_ROUNDING_HALF_UP
    }
}
