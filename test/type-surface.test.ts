import { resolve, sep } from 'node:path';
import ts from 'typescript';

// The package's typed surface, read with the TypeScript compiler from src/index.ts: what
// dist/index.d.ts declares, since the declarations are emitted from the same program.
const SRC = resolve(__dirname, '../src') + sep;

const program = ts.createProgram([`${SRC}index.ts`], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  strict: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  types: ['node'],
  noEmit: true,
});
const checker = program.getTypeChecker();
const entry = program.getSourceFile(`${SRC}index.ts`) as ts.SourceFile;
const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(entry) as ts.Symbol);
const resolveAlias = (symbol: ts.Symbol) =>
  symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
const exportNamed = (name: string) =>
  resolveAlias(exported.find((symbol) => symbol.name === name) as ts.Symbol);

const inSrc = (declaration: ts.Declaration | undefined) =>
  declaration !== undefined && declaration.getSourceFile().fileName.startsWith(SRC);

// Public = neither `#private` nor `private`/`protected`.
function isPublic(member: ts.Symbol): boolean {
  const declaration = member.valueDeclaration ?? member.declarations?.[0];
  if (!declaration) return true;
  const name = (declaration as ts.NamedDeclaration).name;
  if (name && ts.isPrivateIdentifier(name)) return false;
  const hidden = ts.ModifierFlags.Private | ts.ModifierFlags.Protected;
  return (ts.getCombinedModifierFlags(declaration) & hidden) === 0;
}

/** The public members a class or interface of src/ declares itself (inherited ones left out). */
function ownMembers(type: ts.Type): string[] {
  return checker
    .getPropertiesOfType(type)
    .filter((member) => isPublic(member) && (member.declarations ?? []).some(inSrc))
    .map((member) => member.name)
    .sort();
}

function staticMembers(name: string): string[] {
  const symbol = exportNamed(name);
  const type = checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration as ts.Node);
  return ownMembers(type).filter((member) => member !== 'prototype');
}

const instanceMembers = (name: string) =>
  ownMembers(checker.getDeclaredTypeOfSymbol(exportNamed(name)));

/**
 * Every `Type.member` a user of the package can reach from its exports: through members,
 * parameters, return types and type arguments, as far as the types are declared in src/.
 */
function reachableMembers(): Set<string> {
  const seen = new Set<ts.Type>();
  const members = new Set<string>();
  const visit = (type: ts.Type): void => {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) type.types.forEach(visit);
    if (type.aliasTypeArguments) type.aliasTypeArguments.forEach(visit);
    if (
      type.flags & ts.TypeFlags.Object &&
      (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
    )
      checker.getTypeArguments(type as ts.TypeReference).forEach(visit);
    const symbol = type.getSymbol();
    if (!symbol || !(symbol.declarations ?? []).some(inSrc)) return;
    for (const member of checker.getPropertiesOfType(type)) {
      if (!isPublic(member)) continue;
      members.add(`${symbol.name}.${member.name}`);
      const declaration = member.valueDeclaration ?? member.declarations?.[0];
      if (declaration) visit(checker.getTypeOfSymbolAtLocation(member, declaration));
    }
    for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      visit(checker.getReturnTypeOfSignature(signature));
      for (const parameter of signature.getParameters()) {
        visit(checker.getTypeOfSymbolAtLocation(parameter, parameter.valueDeclaration as ts.Node));
      }
    }
  };
  for (const symbol of exported.map(resolveAlias)) {
    if (symbol.flags & ts.SymbolFlags.Type) visit(checker.getDeclaredTypeOfSymbol(symbol));
    if (symbol.valueDeclaration)
      visit(checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration));
  }
  return members;
}

const VALUES = [
  'CLUSTER_WORKERS_METRIC',
  'ClusterAggregator',
  'DEFAULT_CLUSTER_TIMEOUT_MS',
  'ERROR_CODES',
  'HttpProblem',
  'NO_PREFIX',
  'OPENMETRICS_TEXT',
  'PROMETHEUS_TEXT',
  'PrometheusMetrics',
  'SpectrometerError',
  'UNMATCHED',
  'VERSION',
  'aggregateFamilies',
  'compileSlos',
  'compileXMetrics',
  'createApi',
  'describeMetrics',
  'generateDashboard',
  'generateRuleFile',
  'generateRules',
  'isReply',
  'loadSpec',
  'monitor',
  'noContent',
  'reply',
  'shareWorkerMetrics',
  'startClusterMetricsServer',
];

const TYPES_ONLY = [
  'AlertingRule',
  'AvailabilityObjective',
  'CompiledSlos',
  'CompileSlosOptions',
  'GenerateSloOptions',
  'GrafanaDashboard',
  'GrafanaDataSourceRef',
  'GrafanaPanel',
  'GrafanaRow',
  'GrafanaTarget',
  'GrafanaVariable',
  'LatencyObjective',
  'OperationSlo',
  'RecordingRule',
  'RuleFile',
  'SloMetrics',
  'AfterHandlerHook',
  'Api',
  'ApiLabelFunction',
  'BootProblem',
  'ClusterAggregatorOptions',
  'ClusterScrape',
  'CompiledMetric',
  'CompiledXMetrics',
  'CounterMiddleware',
  'CreateApiOptions',
  'DocumentSettings',
  'ErrorCode',
  'GaugeMiddleware',
  'GenerateMetricsOptions',
  'GroupBy',
  'HandledExchange',
  'Handler',
  'HandlerContext',
  'HandlerResult',
  'OperationTypes',
  'ResponseReportOptions',
  'TypedHandler',
  'TypedHandlerContext',
  'TypedHandlers',
  'TypedSecurityHandlers',
  'Handlers',
  'HistogramMiddleware',
  'HistogramOptions',
  'LabelFunction',
  'LabelFunctionContext',
  'LabelValue',
  'Labels',
  'LoadedSpec',
  'Logger',
  'MetricDescription',
  'MetricMiddleware',
  'MetricOptions',
  'MetricsServerOptions',
  'MissingHandler',
  'Monitor',
  'MonitorOptions',
  'Operation',
  'ProblemDetails',
  'ProblemIssue',
  'PrometheusMetricsOptions',
  'RenderedMetrics',
  'Reply',
  'ReplyHeaders',
  'ReplyOptions',
  'SecurityHandler',
  'SecurityHandlers',
  'SharedWorkerMetrics',
  'ShareWorkerMetricsOptions',
  'SummaryMiddleware',
  'SummaryOptions',
  'ValidationOptions',
  'WorkerAnswer',
  'WorkerCounts',
  'WorkerState',
  'XMetricsOptions',
];

describe('type surface', () => {
  it('exports exactly the documented values and types', () => {
    const isValue = (symbol: ts.Symbol) =>
      (resolveAlias(symbol).flags & ts.SymbolFlags.Value) !== 0;
    const names = (list: ts.Symbol[]) => list.map((symbol) => symbol.name).sort();
    expect(names(exported.filter(isValue))).toEqual([...VALUES].sort());
    expect(names(exported.filter((symbol) => !isValue(symbol)))).toEqual([...TYPES_ONLY].sort());
  });

  it('gives PrometheusMetrics exactly the methods of DESIGN §2, and its registry', () => {
    expect(instanceMembers('PrometheusMetrics')).toEqual([
      'counter',
      'doNotTrack',
      'excludeAllMetrics',
      'gauge',
      'generateMetrics',
      'histogram',
      'info',
      'initApp',
      'registerDefault',
      'registerEndpoint',
      'registry',
      'startHttpServer',
      'summary',
    ]);
    expect(staticMembers('PrometheusMetrics')).toEqual(['forAppFactory']);
  });

  it('gives the other public classes exactly their documented members', () => {
    expect(instanceMembers('ClusterAggregator')).toEqual([
      'close',
      'collect',
      'generateMetrics',
      'startHttpServer',
      'timeoutMs',
    ]);
    expect(instanceMembers('HttpProblem')).toEqual([
      'detail',
      'errors',
      'headers',
      'instance',
      'name',
      'status',
      'title',
      'toJSON',
      'type',
    ]);
    expect(instanceMembers('SpectrometerError')).toEqual(['code', 'name', 'problems']);
    for (const name of ['ClusterAggregator', 'HttpProblem', 'SpectrometerError'])
      expect(staticMembers(name)).toEqual([]);
  });

  it('gives Api and Monitor exactly their documented members', () => {
    expect(instanceMembers('Api')).toEqual([
      'app',
      'basePath',
      'document',
      'labelFunctions',
      'listen',
      'metrics',
      'operations',
      'warnings',
    ]);
    expect(instanceMembers('Monitor')).toEqual(['metrics', 'server']);
  });

  it('lets no internal method of the exporter be reached from any export', () => {
    const reachable = reachableMembers();
    expect(reachable.has('PrometheusMetrics.counter')).toBe(true); // the walk reaches the class
    expect(reachable.has('Api.metrics')).toBe(true);
    const internal =
      /\.(beginRecording|createRecorder|useRenderer)$|^PrometheusMetrics\.(app|options)$/;
    expect([...reachable].filter((member) => internal.test(member))).toEqual([]);
  });
});
