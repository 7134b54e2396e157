using CoachFunctions.Storage;
using Xunit;

namespace CoachFunctions.Tests.Storage;

public class TableODataTests
{
    [Fact]
    public void Strings_are_quoted_with_single_quotes_doubled()
    {
        var name = "O'Brien";
        Assert.Equal("Name eq 'O''Brien'", TableOData.Filter($"Name eq {name}"));
    }

    [Fact]
    public void Typed_literals_are_formatted_invariantly()
    {
        var when = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        Assert.Equal("T ge datetime'2025-03-04T03:06:07.0000000Z'", TableOData.Filter($"T ge {when}"));
        Assert.Equal("G eq guid'0f8fad5b-d9cb-469f-a165-70867728950e'", TableOData.Filter($"G eq {id}"));
        Assert.Equal("B eq true and I eq 42 and L eq 5000000000L", TableOData.Filter($"B eq {true} and I eq {42} and L eq {5_000_000_000L}"));
        Assert.Equal("D eq 1.5 and E eq 2.0", TableOData.Filter($"D eq {1.5} and E eq {2.0}"));
    }

    [Fact]
    public void Double_literal_ignores_current_culture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("D gt 0.25", TableOData.Filter($"D gt {0.25}"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }
}
