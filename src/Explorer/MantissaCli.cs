using Mantissa.Arch;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer;

/// <summary>Dispatches <c>mantissa COMMAND ...</c> to a command and turns user errors into messages, never stack traces.</summary>
public static class MantissaCli
{
    public static int Run(string[] args, CommandIO io)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            if (args.Length >= 2 && CommandCatalog.Find(args[1]) is { } c) { io.Out.Write(c.Spec.HelpText()); return 0; }
            io.Out.Write(GeneralHelp(CommandCatalog.All));
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] is "--version" or "-V") return new Commands.VersionCommand().Run(ParsedArgs.Parse(new Commands.VersionCommand().Spec, []), io);
        var command = CommandCatalog.Find(args[0]);
        if (command is null)
        {
            string? near = NameSuggester.Nearest(args[0], CommandCatalog.Entries.Select(e => e.Name));
            io.Error.WriteLine($"error: unknown command '{args[0]}'" + (near is null ? "" : $"; did you mean '{near}'?"));
            io.Error.WriteLine("run 'mantissa --help' for the list of commands");
            return 2;
        }
        var rest = args.Skip(1).ToArray();
        if (rest.Contains("--help") || rest.Contains("-h")) { io.Out.Write(command.Spec.HelpText()); return 0; }
        try
        {
            return command.Run(ParsedArgs.Parse(command.Spec, rest), io);
        }
        catch (UsageException e)
        {
            io.Error.WriteLine($"error: {e.Message}");
            io.Error.WriteLine($"run 'mantissa {command.Spec.Name} --help' for usage");
            return 2;
        }
        catch (MantissaException e)
        {
            io.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file system refused (missing folder, read-only, full disk, a file where a folder is needed): the
            // environment's problem, not a bug. .NET's message names the path and the reason; what finished is kept.
            io.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MANTISSA_DEBUG") is null)
        {
            io.Error.WriteLine($"internal error ({e.GetType().Name}): {e.Message}");
            io.Error.WriteLine("this is a bug in mantissa; rerun with MANTISSA_DEBUG=1 for a stack trace and report it");
            return 3;
        }
    }

    private static string GeneralHelp(IReadOnlyList<ICommand> commands)
    {
        var w = commands.Max(c => c.Spec.Name.Length) + 2;
        var lines = commands.Select(c => "  " + c.Spec.Name.PadRight(w) + c.Spec.Summary);
        return "mantissa: simulator and design-space explorer for low-precision DNN/LLM accelerators\n\n" +
               "Usage: mantissa COMMAND [ARGS...]   (mantissa COMMAND --help for details; mantissa --version)\n\nCommands:\n" +
               string.Join("\n", lines) + "\n";
    }
}
