namespace Mantissa.Sim.Pe.Hw;

/// <summary>
/// The sign an exact sum of float products takes when it is exactly zero (IEEE 754 §6.3, round to nearest): −0 only
/// when every product is −0 (a zero times an operand of the other sign), +0 otherwise, including cancellation.
/// </summary>
public struct ZeroSign
{
    private bool _any, _allNegZero;

    /// <summary>Records one product from the sign bits of its operands' codes and whether it is zero.</summary>
    public void Product(bool aNeg, bool wNeg, bool isZero)
    {
        bool negZero = isZero && (aNeg ^ wNeg);
        _allNegZero = _any ? _allNegZero && negZero : negZero;
        _any = true;
    }

    /// <summary>True when the sum is −0 if it is exactly zero.</summary>
    public readonly bool Negative => _any && _allNegZero;
}
