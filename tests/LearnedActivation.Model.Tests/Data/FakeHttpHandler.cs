using System.Net;

namespace LearnedActivation.Model.Tests.Data;

/// <summary>Serves fixed bodies per URL, or fails every request as if offline; counts requests.</summary>
internal sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly Dictionary<string, byte[]> _bodies = new(StringComparer.Ordinal);

    public bool Offline { get; set; }

    public List<string> Requests { get; } = [];

    public void Serve(string url, byte[] body) => _bodies[url] = body;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.ToString();
        Requests.Add(url);
        if (Offline)
        {
            throw new HttpRequestException("Name or service not known (www.openml.org:443)");
        }

        var response = _bodies.TryGetValue(url, out var body)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
            : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("{\"error\":{\"code\":\"111\"}}") };
        return Task.FromResult(response);
    }
}
