/**
 * "Daten": the full labelled tree of the message (every element and attribute with its label, codes with their
 * texts, local ids shown as names). Groups open and close (React Aria Disclosure); the first two levels are open.
 * Closed groups do not render their content, so large messages stay quick. Every value has a copy button.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { CopyButton } from '../components/CopyButton.js';
import { visibleText } from '../../../core/visible-text.js';
import { IconChevronRight } from '../components/Icons.js';
import { Shown } from '../components/Shown.js';
import { useLanguage } from '../i18n/i18n.js';
import { useReadingWords } from '../i18n/words-reading.js';
import { copyText, isEmptyValue, type TreeNode } from './types.js';
import { useValueSource } from './value-source.js';
import { BoundedValue } from '../components/BoundedValue.js';
import { treeBlockId } from '../../../core/xsozial/tree-block-id.js';

/** "Alle aufklappen/zuklappen": a generation and the wanted state; every group follows when the generation changes. */
const ExpandAll = createContext<{ generation: number; expanded: boolean }>({ generation: 0, expanded: false });

function ValueLine({ label, id, value }: { label: string; id: string; value: TreeNode['value'] }) {
  const { t, language } = useLanguage();
  const w = useReadingWords();
  const source = useValueSource();
  if (value === undefined) return null;
  const empty = isEmptyValue(value);
  const whole = () => source.full(value, 'tree', id);
  const copy = value.fullLength === undefined ? copyText(value) : async () => copyText(await whole());
  return (
    <div className={value.kind === 'address' ? 'tree__value tree__value--address' : 'tree__value'}>
      {empty ? (
        <span className="value value--empty">{w.noValue}</span>
      ) : (
        <BoundedValue className={`value value--${value.kind}`} text={value.display} fullLength={value.fullLength} loadFull={async () => (await whole()).display} label={label} />
      )}
      {value.note ? <span className="value__note">{language === 'de' ? value.note.de : value.note.en}</span> : null}
      {empty ? null : value.kind === 'address' ? (
        <CopyButton
          text={copy}
          label={w.copyAddressOf(visibleText(label))}
          announce={w.copiedAddress}
          className="button button--secondary button--small"
          showText
          textLabel={w.copyAddress}
        />
      ) : (
        <CopyButton text={copy} label={t.message.card.copyValue(visibleText(label))} announce={t.common.copiedValue(visibleText(label))} />
      )}
    </div>
  );
}

function Leaf({ node }: { node: TreeNode }) {
  const { language } = useLanguage();
  const label = node.label[language];
  return (
    <div className="tree__leaf" data-node={node.id}>
      <dt className="tree__label">
        <Shown text={label} />
      </dt>
      <dd className="tree__data">
        <ValueLine label={label} id={node.id} value={node.value} />
      </dd>
    </div>
  );
}

function Group({ node, depth }: { node: TreeNode; depth: number }) {
  const { language } = useLanguage();
  const all = useContext(ExpandAll);
  const [expanded, setExpanded] = useState(depth < 2);
  useEffect(() => {
    if (all.generation > 0) setExpanded(all.expanded);
  }, [all]);
  const label = node.label[language];
  return (
    <Disclosure className="tree__group" isExpanded={expanded} onExpandedChange={setExpanded} data-node={node.id}>
      <Heading level={Math.min(6, depth + 3)} className="tree__heading">
        <Button slot="trigger" className="tree__trigger">
          <IconChevronRight className="icon tree__chevron" />
          <Shown text={label} />
        </Button>
      </Heading>
      <DisclosurePanel className="tree__panel">{expanded ? <NodeContent node={node} depth={depth} /> : null}</DisclosurePanel>
    </Disclosure>
  );
}

function NodeContent({ node, depth }: { node: TreeNode; depth: number }) {
  const { language } = useLanguage();
  const leaves = [
    ...node.attributes.map((a) => ({ id: a.id, name: a.id, label: a.label, value: a.value, attributes: [], children: [] })),
    ...node.children.filter((c) => c.children.length === 0 && c.attributes.length === 0),
  ];
  const groups = node.children.filter((c) => c.children.length > 0 || c.attributes.length > 0);
  return (
    <>
      {node.value !== undefined ? <ValueLine label={node.label[language]} id={node.id} value={node.value} /> : null}
      {node.block !== undefined ? <ValueLine label={node.label[language]} id={treeBlockId(node.id)} value={node.block} /> : null}
      {leaves.length > 0 ? (
        <dl className="tree__leaves">
          {leaves.map((leaf) => (
            <Leaf key={leaf.id} node={leaf} />
          ))}
        </dl>
      ) : null}
      {groups.map((child) => (
        <Group key={child.id} node={child} depth={depth + 1} />
      ))}
    </>
  );
}

export function DataTree({ tree }: { tree: TreeNode }) {
  const { t, language } = useLanguage();
  const [all, setAll] = useState({ generation: 0, expanded: false });
  return (
    <div className="tree" data-testid="data-tree">
      <div className="tree__toolbar">
        <p className="tree__intro">{t.message.tree.intro}</p>
        <Button className="button button--secondary button--small" onPress={() => setAll((a) => ({ generation: a.generation + 1, expanded: true }))}>
          {t.message.tree.expandAll}
        </Button>
        <Button className="button button--secondary button--small" onPress={() => setAll((a) => ({ generation: a.generation + 1, expanded: false }))}>
          {t.message.tree.collapseAll}
        </Button>
      </div>
      <ExpandAll.Provider value={all}>
        <h3 className="tree__root">
          <Shown text={tree.label[language]} />
        </h3>
        <NodeContent node={tree} depth={0} />
      </ExpandAll.Provider>
    </div>
  );
}
