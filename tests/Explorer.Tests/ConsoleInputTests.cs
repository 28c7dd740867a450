using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Tests;

/// <summary>The CLI's standard input is read through <see cref="ConsoleInput"/>, which opens the console's reader on first use.</summary>
public class ConsoleInputTests
{
    [Fact]
    public void ReadsWhatStandardInputHoldsWhenFirstRead()
    {
        var saved = Console.In;
        try
        {
            // set after the reader was made: it reads the console's input as it is at the first read
            var input = ConsoleInput.Instance;
            Console.SetIn(new StringReader("fp8e4m3 mul 7e 40\nsecond line\nrest\nof it"));
            Assert.Equal('f', (char)input.Peek());
            Assert.Equal("fp8e4m3 mul 7e 40", input.ReadLine());
            var buffer = new char[6];
            Assert.Equal(6, input.Read(buffer, 0, 6));
            Assert.Equal("second", new string(buffer));
            Assert.Equal(' ', (char)input.Read());
            Assert.Equal("line\nrest\nof it", input.ReadToEnd());
            Assert.Null(input.ReadLine());
        }
        finally
        {
            Console.SetIn(saved);
        }
    }
}
