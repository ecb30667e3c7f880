using System.Globalization;

namespace ValDrome.Geo.Tours.Benchmarks;

/// <summary>A Li &amp; Lim benchmark instance read as a <see cref="TourProblem"/>.</summary>
/// <param name="Name">The file name without extension, e.g. <c>lc101</c>.</param>
public sealed record LiLimInstance(string Name, TourProblem Problem);

/// <summary>
/// Reads the Li &amp; Lim pickup-and-delivery format: a first line <c>vehicles capacity speed</c>,
/// then one line per node <c>id x y demand ready due service pickup delivery</c>; node 0 is the
/// depot, a pickup names its delivery and a delivery its pickup. Distances are Euclidean in double
/// precision and travel time is distance over speed. Task ids are the pickup node ids.
/// Only the bench and the tests read this format (ADR 8): the site never does.
/// </summary>
/// <remarks>
/// A file that cannot be read gives a <see cref="FormatException"/> whose one-line message names
/// the file, the line and the field, so that the bench can print it as it is.
/// </remarks>
public static class LiLimFile
{
    private static readonly string[] HeaderFields = ["vehicles", "capacity", "speed"];

    private static readonly string[] NodeFields = ["id", "x", "y", "demand", "ready", "due", "service", "pickup", "delivery"];

    public static LiLimInstance Read(string path)
    {
        using var reader = File.OpenText(path);
        return Read(Path.GetFileNameWithoutExtension(path), reader, path);
    }

    /// <param name="name">The instance's name.</param>
    /// <param name="reader">The file's text.</param>
    /// <param name="source">How error messages name the file; the instance's name when null.</param>
    public static LiLimInstance Read(string name, TextReader reader, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var file = source ?? name;
        var lines = new List<Line>();
        var number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0)
            {
                lines.Add(new Line(file, number, fields));
            }
        }

        if (lines.Count == 0)
        {
            throw new FormatException($"{file}: empty, a header 'vehicles capacity speed' and a depot line are needed.");
        }

        var header = lines[0];
        header.Expect(HeaderFields);
        var vehicles = header.Integer(0, HeaderFields, min: 1);
        var capacity = header.Integer(1, HeaderFields, min: 0);
        // Ten published files (lc104, lc105, lc107, lc108, lc204 to lc206, lc208, lr107, lr207)
        // carry a speed of 0 in the header. The benchmark itself ignores that field: travel time
        // equals distance everywhere, which is speed 1, so a speed of 0 or less is read as 1
        // rather than refused (it would otherwise divide by zero).
        var speed = header.Real(2, HeaderFields);
        if (speed <= 0)
        {
            speed = 1;
        }

        if (lines.Count < 2)
        {
            throw new FormatException($"{file} line {header.Number + 1}: a depot line 'id x y demand ready due service pickup delivery' is needed.");
        }

        var nodes = new List<Node>();
        foreach (var line in lines.Skip(1))
        {
            line.Expect(NodeFields);
            var ready = line.Integer(4, NodeFields, min: 0);
            var node = new Node(
                line,
                line.Integer(0, NodeFields, min: 0),
                line.Real(1, NodeFields),
                line.Real(2, NodeFields),
                line.Integer(3, NodeFields),
                ready,
                line.Integer(5, NodeFields, min: ready),
                line.Integer(6, NodeFields, min: 0),
                line.Integer(7, NodeFields, min: 0),
                line.Integer(8, NodeFields, min: 0));
            if (node.Id != nodes.Count)
            {
                throw line.Error(0, NodeFields, $"node {nodes.Count} expected, {node.Id} found");
            }

            nodes.Add(node);
        }

        var depot = nodes[0];
        var tasks = new List<TransportTask>();
        foreach (var node in nodes.Skip(1))
        {
            if (node.Delivery == 0 && node.Pickup == 0)
            {
                throw node.Line.Error(7, NodeFields, "a customer must be a pickup (delivery > 0) or a delivery (pickup > 0)");
            }

            if (node.Delivery > 0)
            {
                if (node.Demand < 0)
                {
                    throw node.Line.Error(3, NodeFields, $"pickup {node.Id} has a negative demand ({node.Demand})");
                }

                if (node.Delivery >= nodes.Count || nodes[node.Delivery].Pickup != node.Id || nodes[node.Delivery].Demand != -node.Demand)
                {
                    throw node.Line.Error(8, NodeFields, $"pickup {node.Id} and its delivery {node.Delivery} do not match");
                }

                var delivery = nodes[node.Delivery];
                tasks.Add(new TransportTask(
                    node.Id.ToString(CultureInfo.InvariantCulture),
                    new TourStop(node.Id, new TimeWindow(node.Ready, node.Due), node.Service),
                    new TourStop(delivery.Id, new TimeWindow(delivery.Ready, delivery.Due), delivery.Service),
                    node.Demand));
            }
            else if (node.Pickup >= nodes.Count || nodes[node.Pickup].Delivery != node.Id)
            {
                throw node.Line.Error(7, NodeFields, $"delivery {node.Id} and its pickup {node.Pickup} do not match");
            }
        }

        var points = nodes.Select(n => (n.X, n.Y)).ToArray();
        if (nodes.FirstOrDefault(n => !double.IsFinite(n.X) || !double.IsFinite(n.Y)) is { } far)
        {
            throw far.Line.Error(double.IsFinite(far.X) ? 2 : 1, NodeFields, "coordinates must be finite");
        }

        if (depot.Due <= depot.Ready)
        {
            throw depot.Line.Error(5, NodeFields, "the depot's day must end after it starts");
        }

        var matrix = new EuclideanTravelMatrix(points, speed);
        var problem = new TourProblem(matrix, 0, new WorkingDay(depot.Ready, depot.Due), Vehicle.Fleet(vehicles, capacity), tasks);
        return new LiLimInstance(name, problem);
    }

    private sealed record Node(Line Line, int Id, double X, double Y, int Demand, int Ready, int Due, int Service, int Pickup, int Delivery);

    /// <summary>One non-blank line of the file, with what its error messages need.</summary>
    private sealed record Line(string File, int Number, string[] Fields)
    {
        public void Expect(string[] names)
        {
            if (Fields.Length < names.Length)
            {
                throw new FormatException(
                    $"{File} line {Number}: {names.Length} fields '{string.Join(' ', names)}' expected, {Fields.Length} found (field {Fields.Length + 1}, {names[Fields.Length]}, is missing).");
            }
        }

        public FormatException Error(int field, string[] names, string message) =>
            new($"{File} line {Number}, field {field + 1} ({names[field]}): {message}.");

        public int Integer(int field, string[] names, int min = int.MinValue)
        {
            if (!int.TryParse(Fields[field], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                throw Error(field, names, $"'{Fields[field]}' is not an integer");
            }

            return value >= min ? value : throw Error(field, names, $"{value} is less than {min}");
        }

        public double Real(int field, string[] names) =>
            double.TryParse(Fields[field], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Error(field, names, $"'{Fields[field]}' is not a number");
    }
}
