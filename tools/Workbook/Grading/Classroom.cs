using System.Globalization;
using System.Text;
using Workbook.Labs;

namespace Workbook.Grading;

/// <summary>
/// GitHub Classroom autograding: a workflow with one command-grader step per lab milestone (its command,
/// timeout and points) and the reporter step that sends the scores to the classroom.
/// </summary>
public static class Classroom
{
    /// <summary>Minutes one milestone's check may take on a hosted runner (the first one also builds).</summary>
    public const int TimeoutMinutes = 10;

    /// <summary>The text of .github/workflows/classroom.yml for these labs.</summary>
    public static string Workflow(IReadOnlyList<Lab> labs)
    {
        var yaml = new StringBuilder();
        yaml.Append("""
            # Written by `workbook grade --classroom`: one autograding test per lab milestone.
            # Protect labs/*/tests, tools/ and .github/ in the assignment (GitHub Classroom → protected paths),
            # so the scores come from the instructor's tests.
            name: Autograding Tests
            "on":
              - push
              - repository_dispatch
            permissions:
              checks: write
              actions: read
              contents: read
            jobs:
              run-autograding-tests:
                runs-on: ubuntu-latest
                if: github.actor != 'github-classroom[bot]'
                steps:
                  - name: Checkout code
                    uses: actions/checkout@v4
                  - name: Set up .NET
                    uses: actions/setup-dotnet@v4
                    with:
                      dotnet-version: "10.0.x"
                  - name: Install ffmpeg
                    run: sudo apt-get update && sudo apt-get install -y ffmpeg

            """);
        var ids = new List<string>();
        foreach (var lab in labs)
        {
            foreach (var milestone in lab.Manifest.Milestones)
            {
                string id = $"lab{lab.Id}-{milestone.Id.ToLowerInvariant()}";
                ids.Add(id);
                string name = $"Lab {lab.Id} {milestone.Id} {milestone.Title}".Replace("\"", "'", StringComparison.Ordinal);
                yaml.Append(CultureInfo.InvariantCulture, $"""
                          - name: "{name}"
                            id: {id}
                            uses: classroom-resources/autograding-command-grader@v1
                            with:
                              test-name: "{name}"
                              setup-command: ""
                              command: "dotnet run --project tools/Workbook -- check {lab.Id} --milestone {milestone.Id}"
                              timeout: {TimeoutMinutes}
                              max-score: {milestone.Points}

                    """);
            }
        }

        yaml.Append("""
                  - name: Autograding Reporter
                    uses: classroom-resources/autograding-grading-reporter@v1
                    env:

            """);
        foreach (var id in ids)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"          {id.ToUpperInvariant()}_RESULTS: \"${{{{steps.{id}.outputs.result}}}}\"\n");
        }

        yaml.Append("        with:\n").Append("          runners: ").Append(string.Join(',', ids)).Append('\n');
        return yaml.ToString();
    }
}
