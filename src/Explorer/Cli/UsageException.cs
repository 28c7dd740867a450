using Mantissa.Arch;

namespace Mantissa.Explorer.Cli;

/// <summary>A malformed command line; printed with a hint to run <c>--help</c>, exit code 2.</summary>
public sealed class UsageException(string message) : MantissaException(message);
