namespace Mantissa.Arch;

/// <summary>An error caused by the user's input; its message is printed as-is, without a stack trace.</summary>
public class MantissaException : Exception
{
    public MantissaException(string message) : base(message) { }
    public MantissaException(string message, Exception inner) : base(message, inner) { }
}
