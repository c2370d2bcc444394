/** Namespace URIs of OSCI-Transport 1.2 (PROTOCOL.md §4.1). Parsers dispatch on these, never on prefixes. */
export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  osci: 'http://www.osci.de/2002/04/osci',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  osci2017: 'http://xoev.de/transport/osci12/7',
  osci128: 'http://xoev.de/transport/osci12/8',
  xenc11: 'http://www.w3.org/2009/xmlenc11#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
  xmlns: 'http://www.w3.org/2000/xmlns/',
  xml: 'http://www.w3.org/XML/1998/namespace',
  xtaMetaData: 'http://www.osci.eu/ws/2014/10/transport',
} as const;

/** The five declarations the library writes on the envelope, every header block, the Body and EncryptedData. */
export const FIVE_NS_DECLS = `xmlns:ds="${NS.ds}" xmlns:osci="${NS.osci}" xmlns:soap="${NS.soap}" xmlns:xenc="${NS.xenc}" xmlns:xsi="${NS.xsi}"`;

export const ACTOR_NEXT = 'http://schemas.xmlsoap.org/soap/actor/next';
export const ACTOR_NONE = 'http://www.w3.org/2001/12/soap-envelope/actor/none';

/** schemaLocation the library writes for a message type (a hint for peers; never used to dispatch here). */
export function schemaLocation(type: string): string {
  return `${NS.soap} soap${type}.xsd ${NS.ds} oscisig.xsd ${NS.xenc} oscienc.xsd`;
}
