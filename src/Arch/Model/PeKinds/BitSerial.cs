using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>bit_serial (BitMoD, Stripes): one operand consumed bits_per_cycle bits a cycle against a parallel operand.</summary>
    public static readonly PeKind BitSerial = new BitSerialKind();

    // BitMoD weight types (bitmod*) are parsed by Mantissa.Sim for `mantissa dot`.
    private sealed class BitSerialKind() : PeKind("bit_serial", "int2..int8, ternary, bitmod*", "int8, fp16",
        PeKeys.BitsPerCycle, SerialOperandKey, PeKeys.GroupSize, PeKeys.Overflow)
    {
        private static readonly PeChoiceKey SerialOperandKey = PeKey.Choice("serial_operand",
            "which operand is serial: weights (BitMoD) or activations (Stripes; integer activations only)",
            [("weights", SerialOperand.Weights), ("activations", SerialOperand.Activations)],
            p => p.SerialOperand, (p, v) => p with { SerialOperand = v }, option: "--serial",
            problem: b => b.Parameters.SerialOperand == SerialOperand.Activations && b.Activations is not IntFormat
                ? $"serial activations must be integers, but activations are {b.Activations.Name}" : null);

        // The serial operand arrives in whole digits, so a digit cannot be wider than the operand.
        public override IEnumerable<PeProblem> Problems(PeBinding pe, Func<string, bool> written)
        {
            foreach (var problem in base.Problems(pe, written)) yield return problem;
            var p = pe.Parameters;
            var serial = p.SerialOperand == SerialOperand.Weights ? pe.Weights : pe.Activations;
            if (p.BitsPerCycle > serial.Bits)
                yield return new PeProblem(written(PeKeys.BitsPerCycle.Name) ? PeKeys.BitsPerCycle.Name : SerialOperandKey.Name,
                    $"bits_per_cycle {p.BitsPerCycle} exceeds the {serial.Bits}-bit serial operand ({serial.Name})");
        }

        public override PeArithmetic? Arithmetic(PeSpec pe) => pe.Accumulator is IntFormat ? PeArithmetic.IntegerPasses : PeArithmetic.DequantizedGroups;

        public override PeCycles Cycles(PeSpec pe, int weightBits, int activationBits)
        {
            var p = pe.Parameters;
            int bpc = p.BitsPerCycle;
            if (bpc is not (1 or 2 or 4)) throw new MantissaException($"bit_serial bits_per_cycle must be 1, 2 or 4, got {bpc}");
            int serialBits = p.SerialOperand == SerialOperand.Weights ? weightBits : activationBits;
            // Group dequantization overlaps the next group (0 extra cycles, as in the BitMoD simulator).
            return new PeCycles(pe.DotWidth, CeilDiv(serialBits, bpc), 0, Math.Max(0, p.GroupSize), 0, 1);
        }

        // Weight-width-serial PEs take any integer weight their kind supports in fewer cycles.
        public override bool RunsNatively(PeSpec pe, NumberFormat w, NumberFormat a) =>
            a.Name == pe.ActivationFormat.Name && w is TernaryFormat or IntFormat { IntBits: >= 2 and <= 8 };

        public override IEnumerable<(NumberFormat Weight, NumberFormat Activation)> OtherFormats(PeSpec pe)
        {
            if (pe.Parameters.SerialOperand != SerialOperand.Weights || pe.WeightFormat is not IntFormat wi) yield break;
            for (int bits = wi.IntBits - 1; bits >= 2; bits--) yield return (new IntFormat(bits, wi.Signed), pe.ActivationFormat);
        }

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            bool serialWeights = pe.Parameters.SerialOperand == SerialOperand.Weights;
            var serial = serialWeights ? b.W : b.A;
            var parallel = serialWeights ? b.A : b.W;
            if (!serial.IsInteger)
                throw new MantissaException($"bit_serial: the serial operand must be an integer format, got '{serial.Format.Name}'");
            int bpc = Math.Max(1, pe.Parameters.BitsPerCycle);
            b.Add("digit_multiplier", b.K, 1, P.Mul(bpc, parallel.SigBits));
            // fp16 lanes are placed exactly on the fp16 LSB (the functional model's fixed-point group sum), integer lanes as is.
            int treeWidth = b.ExactLanesAndTree(bpc + parallel.SigBits, parallel, out int significant);
            // Planes arrive one digit at a time: acc += partial << (digit·bpc) is a fixed shift per digit (wiring), not a
            // barrel shifter. Groups are dequantized once at their boundary by a unit the column shares.
            b.GroupAccumulate(treeWidth + serial.Bits, b.Cycles.CyclesPerPass, significant: significant + serial.Bits);
        }
    }
}
