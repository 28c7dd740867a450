namespace Mantissa.Robustness.Tests;

/// <summary>How a run ended, from the user's side.</summary>
public enum Outcome
{
    /// <summary>Exit 1 or 2 with an "error: ..." message and no stack trace.</summary>
    CleanError,
    /// <summary>Exit 0 on an input meant to be accepted (boundary values, controls).</summary>
    Success,
    /// <summary>Exit 0 on an input that should have been refused.</summary>
    SilentSuccess,
    /// <summary>Exit 3: the CLI caught an exception it did not expect ("this is a bug").</summary>
    InternalError,
    /// <summary>Killed by the runtime or the OS (stack overflow, out of memory, signal) or a stack trace printed.</summary>
    Crash,
    /// <summary>Still running at the time limit.</summary>
    Hang,
}

/// <summary>Classifies a <see cref="RunResult"/>.</summary>
internal static class OutcomeClassifier
{
    public static Outcome Classify(RunResult r, Outcome expected)
    {
        if (r.ExitCode is null) return Outcome.Hang;
        string all = r.Stdout + "\n" + r.Stderr;
        if (r.ExitCode == 3 || all.Contains("internal error", StringComparison.Ordinal)) return Outcome.InternalError;
        if (all.Contains("Stack overflow", StringComparison.Ordinal) || all.Contains("Unhandled exception", StringComparison.Ordinal) ||
            all.Contains("\n   at ", StringComparison.Ordinal) || r.ExitCode is not (0 or 1 or 2 or 130)) return Outcome.Crash;
        if (r.ExitCode == 0) return expected == Outcome.Success ? Outcome.Success : Outcome.SilentSuccess;
        // exit 2 with the usage text (no command given) is the usage error of a CLI
        return all.Contains("error: ", StringComparison.Ordinal) || (r.ExitCode == 2 && all.Contains("Usage:", StringComparison.Ordinal))
            ? Outcome.CleanError : Outcome.Crash;
    }
}
