using System.Net;

namespace LearnedActivation.Silo.Dashboard;

/// <summary>
/// The dashboard page: plain HTML, a small script of its own (no framework, no CDN) that follows the sweep's
/// event stream and draws each run's learning curve and current learned activation as inline SVG.
/// </summary>
internal static class DashboardPage
{
    public static string Html(string? orleansDashboard) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>learnact sweep dashboard</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="dashboard.css">
        <script src="dashboard.js" defer></script>
        </head>
        <body>
        <header>
        <h1>learnact sweep dashboard</h1>
        <nav aria-label="sweeps"><label for="sweep">sweep</label> <select id="sweep"></select>{(orleansDashboard is null ? string.Empty : $" <a href=\"{WebUtility.HtmlEncode(orleansDashboard)}\">Orleans dashboard (grains and silos)</a>")}</nav>
        </header>
        <main>
        <p id="summary" role="status" aria-live="polite">loading…</p>
        <p id="problem" class="problem" hidden></p>
        <h2>Runs</h2>
        <table id="runs">
        <caption>Every run of the sweep; curves show validation accuracy per epoch, activations the learned function as of the newest checkpoint.</caption>
        <thead><tr><th scope="col">run</th><th scope="col">phase</th><th scope="col">epoch</th><th scope="col">val acc</th><th scope="col">best val</th><th scope="col">test acc</th><th scope="col">silo</th><th scope="col">checkpoint age</th><th scope="col">learning curve</th><th scope="col">learned activation</th></tr></thead>
        <tbody></tbody>
        </table>
        <h2>Silos</h2>
        <table id="silos">
        <caption>Live silos of the cluster, their training slots and the runs they train now.</caption>
        <thead><tr><th scope="col">silo</th><th scope="col">address</th><th scope="col">status</th><th scope="col">slots</th><th scope="col">runs</th></tr></thead>
        <tbody></tbody>
        </table>
        </main>
        </body>
        </html>
        """;

    public const string Style = """
        body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1500px;padding:1rem 2rem;color:#1a1a1a;background:#fff}
        table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
        caption{text-align:left;color:#333;padding:.25rem 0}
        th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:middle}
        th{background:#eef1f5}
        td.num{text-align:right;font-variant-numeric:tabular-nums}
        .phase-running{color:#0b3d91;font-weight:bold}.phase-completed{color:#1b5e20}.phase-failed{color:#b00020}
        .problem{color:#b00020}
        svg{display:block;background:#fafafa}
        a{color:#0b3d91}
        a:focus-visible,select:focus-visible{outline:3px solid #c4420c;outline-offset:2px}
        """;

    public const string Script = """
        (function () {
          'use strict';
          var select = document.getElementById('sweep');
          var summary = document.getElementById('summary');
          var problem = document.getElementById('problem');
          var runsBody = document.querySelector('#runs tbody');
          var silosBody = document.querySelector('#silos tbody');
          var source = null;
          var received = 0;
          var ages = [];
          var svgNs = 'http://www.w3.org/2000/svg';

          function fixed(v) { return v === null || v === undefined ? '-' : v.toFixed(4); }
          function age(seconds) {
            if (seconds === null || seconds === undefined) { return '-'; }
            var s = seconds + (Date.now() - received) / 1000;
            return s < 90 ? Math.round(s) + 's' : s < 5400 ? Math.round(s / 60) + 'm' : (s / 3600).toFixed(1) + 'h';
          }
          function silo(label) { return label ? label.substring(label.lastIndexOf('@') + 1) : '-'; }
          function cell(row, text, className) {
            var td = row.insertCell();
            td.textContent = text;
            if (className) { td.className = className; }
            return td;
          }
          function chart(xs, ys, label, fixedY) {
            var svg = document.createElementNS(svgNs, 'svg');
            svg.setAttribute('width', '140'); svg.setAttribute('height', '48');
            svg.setAttribute('viewBox', '0 0 140 48');
            svg.setAttribute('role', 'img');
            svg.setAttribute('aria-label', label);
            if (xs.length < 2) { return svg; }
            var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
            var y0 = fixedY ? fixedY[0] : Math.min.apply(null, ys), y1 = fixedY ? fixedY[1] : Math.max.apply(null, ys);
            if (y1 <= y0) { y1 = y0 + 1; }
            var points = xs.map(function (x, i) {
              return (4 + 132 * (x - x0) / (x1 - x0)).toFixed(1) + ',' + (44 - 40 * (ys[i] - y0) / (y1 - y0)).toFixed(1);
            }).join(' ');
            var line = document.createElementNS(svgNs, 'polyline');
            line.setAttribute('points', points);
            line.setAttribute('fill', 'none');
            line.setAttribute('stroke', '#0b3d91');
            line.setAttribute('stroke-width', '1.5');
            svg.appendChild(line);
            return svg;
          }
          function render(view) {
            received = Date.now();
            if (!view) { summary.textContent = 'no such sweep'; return; }
            var t = view.totals;
            summary.textContent = 'sweep ' + view.id + ': ' + view.phase + ' · ' + t.runs + ' runs: ' + t.queued + ' queued, ' +
              t.running + ' running, ' + t.completed + ' completed, ' + t.failed + ' failed, ' + t.cancelled + ' cancelled';
            var problems = [view.storageError && ('storage: ' + view.storageError), view.assemblyError && ('report failed: ' + view.assemblyError)].filter(Boolean);
            problem.hidden = problems.length === 0;
            problem.textContent = problems.join(' · ');
            runsBody.textContent = '';
            ages = [];
            view.runs.forEach(function (run) {
              var row = runsBody.insertRow();
              row.dataset.run = run.name;
              var name = document.createElement('th');
              name.scope = 'row';
              name.textContent = run.name;
              row.appendChild(name);
              cell(row, run.phase, 'phase-' + run.phase);
              cell(row, run.epoch + '/' + run.totalEpochs, 'num epoch');
              cell(row, fixed(run.valAccuracy), 'num val');
              cell(row, fixed(run.bestValAccuracy), 'num');
              cell(row, fixed(run.testAccuracy), 'num');
              cell(row, silo(run.silo));
              ages.push([cell(row, age(run.checkpointAgeSeconds), 'num age'), run.checkpointAgeSeconds]);
              var curve = run.curve;
              var last = curve.length ? curve[curve.length - 1] : null;
              row.insertCell().appendChild(chart(curve.map(function (p) { return p.epoch; }), curve.map(function (p) { return p.valAccuracy; }),
                'validation accuracy of ' + run.name + (last ? ': ' + last.valAccuracy.toFixed(4) + ' at epoch ' + last.epoch : ': no epoch yet'), null));
              var a = run.activation;
              row.insertCell().appendChild(a ? chart(a.x, a.y, 'learned activation of ' + run.name + ' at epoch ' + a.epoch, null)
                : chart([], [], 'no checkpoint of ' + run.name + ' yet', null));
            });
            silosBody.textContent = '';
            view.silos.forEach(function (s) {
              var row = silosBody.insertRow();
              cell(row, s.name);
              cell(row, s.address);
              cell(row, s.status.toLowerCase());
              cell(row, s.slots === null ? '-' : String(s.slots), 'num');
              cell(row, s.runs.length ? s.runs.join(', ') : '-');
            });
          }
          function follow(id) {
            if (source) { source.close(); }
            var url = new URL(window.location.href);
            url.searchParams.set('sweep', id);
            window.history.replaceState(null, '', url);
            source = new EventSource('api/sweeps/' + encodeURIComponent(id) + '/events');
            source.onmessage = function (event) { render(JSON.parse(event.data)); };
            source.onerror = function () { summary.textContent = 'connection lost; retrying…'; };
          }
          function load() {
            fetch('api/sweeps').then(function (r) { return r.json(); }).then(function (sweeps) {
              select.textContent = '';
              sweeps.forEach(function (s) {
                var o = document.createElement('option');
                o.value = s.id; o.textContent = s.id + ' (' + s.phase + ')';
                select.appendChild(o);
              });
              var wanted = new URL(window.location.href).searchParams.get('sweep');
              var chosen = sweeps.some(function (s) { return s.id === wanted; }) ? wanted : (sweeps.length ? sweeps[0].id : null);
              if (chosen) { select.value = chosen; follow(chosen); } else { summary.textContent = 'no sweeps yet'; }
            });
          }
          select.addEventListener('change', function () { follow(select.value); });
          window.setInterval(function () { ages.forEach(function (p) { p[0].textContent = age(p[1]); }); }, 1000);
          load();
        })();
        """;
}
