using Mantissa.Explorer;
using Mantissa.Explorer.Cli;

return MantissaCli.Run(args, CommandIO.Console);
