using System.Net;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Workbook.Notebooks;

/// <summary>Colours C# for the HTML pages, from Roslyn's own tokens (keywords, strings, numbers, comments, directives).</summary>
internal static class CSharpHighlighter
{
    public static string ToHtml(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        var html = new StringBuilder();
        foreach (var token in tree.GetRoot().DescendantTokens(descendIntoTrivia: true))
        {
            Trivia(token.LeadingTrivia, html);
            var text = WebUtility.HtmlEncode(token.Text);
            var kind = token.Kind();
            var css = SyntaxFacts.IsKeywordKind(kind) || kind == SyntaxKind.IdentifierToken && ContextualKeywords.Contains(token.Text) ? "kw"
                : kind is SyntaxKind.StringLiteralToken or SyntaxKind.InterpolatedStringStartToken or SyntaxKind.InterpolatedStringEndToken
                    or SyntaxKind.InterpolatedStringTextToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.SingleLineRawStringLiteralToken
                    or SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.InterpolatedRawStringEndToken
                    or SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken ? "str"
                : kind is SyntaxKind.NumericLiteralToken ? "num"
                : null;
            html.Append(css is null ? text : $"<span class=\"{css}\">{text}</span>");
            Trivia(token.TrailingTrivia, html);
        }
        return html.ToString();
    }

    // Contextual keywords come through as identifiers; these are the ones notebooks use.
    private static readonly HashSet<string> ContextualKeywords = ["var", "async", "await", "record", "init", "get", "set", "nameof", "dynamic", "when", "with", "yield"];

    private static void Trivia(SyntaxTriviaList trivia, StringBuilder html)
    {
        foreach (var t in trivia)
        {
            if (t.HasStructure)
                continue; // directives: their tokens come through DescendantTokens(descendIntoTrivia)
            var text = WebUtility.HtmlEncode(t.ToFullString());
            html.Append(t.Kind() is SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia
                or SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia
                ? $"<span class=\"com\">{text}</span>"
                : text);
        }
    }
}
