using Mantissa.Explorer;
using Mantissa.Explorer.Cli;

// standard input is opened only by a command that reads it (ConsoleInput)
return MantissaCli.Run(args, new CommandIO(ConsoleInput.Instance, Console.Out, Console.Error));
